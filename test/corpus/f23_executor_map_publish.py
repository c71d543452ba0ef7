# expect: no-race
# ThreadPoolExecutor.map: each job writes its own `out[n]`; the loop over map's results reads
# `out[n]` once the job's result has come back (the iterator collects each future's result).
from concurrent.futures import ThreadPoolExecutor

out = {}


def job(n):
    acc = 0
    for i in range(200):
        acc += i * n
    out[n] = acc
    return n


with ThreadPoolExecutor(max_workers=3) as pool:
    for n in pool.map(job, range(60)):
        print(n, out[n])
