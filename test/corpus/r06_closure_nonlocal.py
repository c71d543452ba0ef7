# expect: race hits in make_counter
# A closure cell (`nonlocal hits`) shared by the threads that call the closure.
import threading


def make_counter():
    hits = 0

    def hit():
        nonlocal hits
        for _ in range(1500):
            hits += 1

    def total():
        return hits

    return hit, total


hit, total = make_counter()
threads = [threading.Thread(target=hit) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total())
