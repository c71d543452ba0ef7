# expect: race counter
# asyncio.to_thread runs blocking functions in worker threads: they race on `counter`.
import asyncio
import time

counter = 0


def work():
    global counter
    time.sleep(0.01)  # busy workers: the executor cannot run every call on one thread
    for _ in range(1500):
        counter += 1


async def main():
    loop = asyncio.get_running_loop()
    to_thread = getattr(asyncio, "to_thread", None)  # 3.9+; run_in_executor before
    jobs = [to_thread(work) if to_thread else loop.run_in_executor(None, work) for _ in range(3)]
    await asyncio.gather(*jobs)


asyncio.run(main())
print(counter)
