# expect: no-race
# The fixed lesson: `counter += 1` under one lock.
import threading

counter = 0
counter_lock = threading.Lock()


def work():
    global counter
    for _ in range(1500):
        with counter_lock:
            counter += 1


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
