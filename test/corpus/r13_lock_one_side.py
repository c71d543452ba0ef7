# expect: race total
# One thread takes the lock, the other does not: a lock only one side holds protects nothing.
import threading

total = 0
lock = threading.Lock()


def careful():
    global total
    for _ in range(1500):
        with lock:
            total += 1


def careless():
    global total
    for _ in range(1500):
        total += 1


threads = [threading.Thread(target=careful), threading.Thread(target=careless)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total)
