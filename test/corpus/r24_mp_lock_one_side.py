# expect: race total, hits.value
# The racy twin of f24: one thread takes the multiprocessing locks, the other does not.
import multiprocessing as mp
import threading

hits = mp.Value("i", 0)
total_lock = mp.Lock()
total = 0


def careful():
    global total
    for _ in range(1500):
        with hits.get_lock():
            hits.value += 1
        with total_lock:
            total += 1


def careless():
    global total
    for _ in range(1500):
        hits.value += 1
        total += 1


threads = [threading.Thread(target=careful), threading.Thread(target=careless)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(hits.value, total)
