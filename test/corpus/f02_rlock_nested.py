# expect: no-race
# An RLock taken again by a helper the locked code calls.
import threading

balance = 0
rlock = threading.RLock()


def add(n):
    global balance
    with rlock:
        balance += n


def work():
    for _ in range(800):
        with rlock:
            add(1)


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(balance)
