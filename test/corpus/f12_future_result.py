# expect: no-race
# A pool job writes `answer`; the main thread reads it after future.result().
from concurrent.futures import ThreadPoolExecutor

answer = None


def compute():
    global answer
    answer = sum(range(1000))
    return True


pool = ThreadPoolExecutor(max_workers=2)
future = pool.submit(compute)
future.result()
print(answer)
pool.shutdown()
