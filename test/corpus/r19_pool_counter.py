# expect: race counter
# Pool workers increment a global: the pool orders submission and results, not the workers.
# (Each job first sleeps, so the pool cannot run all of them on one idle worker.)
import time
from concurrent.futures import ThreadPoolExecutor

counter = 0


def job():
    global counter
    time.sleep(0.01)
    for _ in range(1000):
        counter += 1


with ThreadPoolExecutor(max_workers=3) as pool:
    futures = [pool.submit(job) for _ in range(3)]
    for f in futures:
        f.result()
print(counter)
