# expect: no-race
# Shared read-only data: written before the threads start, only read while they run.
import threading

config = {"scale": 3, "offset": 1}
factor = 2


def work(out, i):
    acc = 0
    for n in range(500):
        acc += n * config["scale"] * factor + config["offset"]
    out[i] = acc


out = [0, 0, 0]
threads = [threading.Thread(target=work, args=(out, i)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(out))
