# expect: race cache[key]
# Check-then-set on a dict cache: two threads can both miss and both store.
import threading
import time

cache = {}


def lookup(key):
    if key not in cache:
        time.sleep(0.001)
        cache[key] = key * 2
    return cache[key]


threads = [threading.Thread(target=lookup, args=(7,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(cache)
