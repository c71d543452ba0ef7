# expect: no-race
# Threads of one process guarded by multiprocessing locks: `with hits.get_lock():` around the
# shared Value's update, a multiprocessing.Lock around a global, an RLock taken twice.
import multiprocessing as mp
import threading

hits = mp.Value("i", 0)
total_lock = mp.Lock()
table_lock = mp.RLock()
total = 0
table = {}


def record(key):
    with table_lock:
        table[key] = table.get(key, 0) + 1


def work(n):
    global total
    for i in range(800):
        with hits.get_lock():
            hits.value += 1
        with total_lock:
            total += n
        with table_lock:
            record(i % 7)


threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(hits.value, total, sorted(table.items()))
