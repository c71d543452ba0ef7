# expect: no-race
# ThreadPoolExecutor workers append results to a list; the main thread reads it after the pool ends.
from concurrent.futures import ThreadPoolExecutor

results = []


def job(n):
    results.append(n * n)


with ThreadPoolExecutor(max_workers=3) as pool:
    for n in range(50):
        pool.submit(job, n)
print(sum(results))
