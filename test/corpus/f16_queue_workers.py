# expect: no-race
# Worker threads take jobs from one queue and put results on another; only the main thread sums.
import queue
import threading

jobs = queue.Queue()
results = queue.Queue()


def worker():
    while True:
        n = jobs.get()
        if n is None:
            return
        results.put(n * 2)


workers = [threading.Thread(target=worker) for _ in range(3)]
for w in workers:
    w.start()
for n in range(60):
    jobs.put(n)
for _ in workers:
    jobs.put(None)
for w in workers:
    w.join()
total = 0
while not results.empty():
    total += results.get()
print(total)
