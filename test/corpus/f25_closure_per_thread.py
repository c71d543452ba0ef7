# expect: no-race
# One factory, one closure per thread: each thread counts in its own cell, so nothing is shared.
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


counters = [make_counter() for _ in range(3)]
threads = [threading.Thread(target=hit) for hit, _ in counters]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(total() for _, total in counters))
