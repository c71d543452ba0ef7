# expect: no-race
# Word counts in a shared dict, every update under one lock.
import threading

WORDS = ["x", "y", "x", "z"] * 100
counts = {"x": 0, "y": 0, "z": 0}
counts_lock = threading.Lock()


def work():
    for word in WORDS:
        with counts_lock:
            counts[word] += 1


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counts)
