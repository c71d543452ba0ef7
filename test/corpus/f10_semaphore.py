# expect: no-race
# A Semaphore(1) used as a mutex around the counter.
import threading

counter = 0
gate = threading.Semaphore(1)


def work():
    global counter
    for _ in range(800):
        gate.acquire()
        try:
            counter += 1
        finally:
            gate.release()


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
