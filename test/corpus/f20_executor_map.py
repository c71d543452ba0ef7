# expect: no-race
# ThreadPoolExecutor.map over a pure function: nothing shared is written.
from concurrent.futures import ThreadPoolExecutor

SCALE = 3


def square(n):
    acc = 0
    for _ in range(20):
        acc += n * SCALE
    return acc


with ThreadPoolExecutor(max_workers=3) as pool:
    results = list(pool.map(square, range(60)))
print(sum(results))
