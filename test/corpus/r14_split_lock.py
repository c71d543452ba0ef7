# expect: race balance
# Each access is locked, but the read and the write are in two lock blocks: another thread's
# update can land in between and is then overwritten (an atomicity violation, a lost update).
import threading
import time

balance = 100
lock = threading.Lock()


def withdraw():
    global balance
    for _ in range(40):
        with lock:
            seen = balance
        time.sleep(0.001)
        with lock:
            balance = seen - 1


threads = [threading.Thread(target=withdraw) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(balance)
