# expect: race stats[key]
# A dict of statistics updated through a helper with a constant key.
import threading

stats = {"requests": 0}


def record(key):
    stats[key] += 1


def serve():
    for _ in range(1500):
        record("requests")


threads = [threading.Thread(target=serve) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(stats)
