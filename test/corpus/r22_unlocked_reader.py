# expect: race balance
# The writer holds the lock, the progress reader does not: its reads race with the writes.
import threading
import time

balance = 0
lock = threading.Lock()


def writer():
    global balance
    for _ in range(500):
        with lock:
            balance += 1
        if _ % 100 == 0:
            time.sleep(0)


def reader():
    seen = 0
    for _ in range(50):
        seen = max(seen, balance)
        time.sleep(0)
    return seen


threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(balance)
