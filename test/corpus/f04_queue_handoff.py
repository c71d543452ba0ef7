# expect: no-race
# The producer writes a batch, then puts a token; the consumer reads the batch after get() and
# hands the turn back through a second queue: every access is ordered by a put/get pair.
import queue
import threading

ready = queue.Queue()
taken = queue.Queue()
batch = None
total = 0


def producer():
    global batch
    for i in range(100):
        batch = [i, i + 1, i + 2]
        ready.put(i)
        taken.get()


def consumer():
    global total
    for _ in range(100):
        ready.get()
        total += sum(batch)
        taken.put(True)


threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total)
