# expect: race slots[i]
# One list slot incremented by every thread.
import threading

slots = [0, 0, 0]


def work(i):
    for _ in range(1500):
        slots[i] += 1


threads = [threading.Thread(target=work, args=(1,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(slots)
