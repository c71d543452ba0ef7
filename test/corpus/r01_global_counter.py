# expect: race counter
# The lesson's race: `counter += 1` from four threads, no lock.
import threading

counter = 0


def work():
    global counter
    for _ in range(2000):
        counter += 1


threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
