# expect: no-race
# Job objects handed through a Queue: the producer fills them in before put(), the consumer sets
# the result after get(), the main thread reads the results after join().
import queue
import threading


class Job:
    def __init__(self, n):
        self.n = n
        self.result = None


q = queue.Queue()
jobs = [Job(i) for i in range(50)]


def producer():
    for job in jobs:
        job.n = job.n * 2
        q.put(job)
    q.put(None)


def consumer():
    while True:
        job = q.get()
        if job is None:
            return
        job.result = job.n + 1


threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(job.result for job in jobs))
