# expect: race shared
# Two threads guard the same variable with two different locks.
import threading

shared = 0
lock_a = threading.Lock()
lock_b = threading.Lock()


def with_a():
    global shared
    for _ in range(1000):
        with lock_a:
            shared += 1


def with_b():
    global shared
    for _ in range(1000):
        with lock_b:
            shared += 1


threads = [threading.Thread(target=with_a), threading.Thread(target=with_b)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(shared)
