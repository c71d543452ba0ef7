# expect: race cache
# Check-then-act lazy initialisation: two threads can both see None and both build.
import threading
import time

cache = None


def build():
    time.sleep(0.001)
    return {"ready": True}


def get():
    global cache
    if cache is None:
        cache = build()
    return cache


threads = [threading.Thread(target=get) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(cache)
