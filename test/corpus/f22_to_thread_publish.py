# expect: no-race
# asyncio.to_thread: the coroutine publishes `config` before the await, the worker reads it and
# publishes `result` (or `failure` with its exception); the coroutine reads them after the await.
import asyncio

config = None
result = None
failure = None


def work():
    global result
    total = 0
    for i in range(2000):
        total += i * config
    result = total
    return total


def fail():
    global failure
    failure = "bad input %d" % config
    raise ValueError(config)


async def main():
    global config
    loop = asyncio.get_running_loop()
    to_thread = getattr(asyncio, "to_thread", None)  # 3.9+; run_in_executor before
    for scale in (1, 2, 3):
        config = scale
        got = await (to_thread(work) if to_thread else loop.run_in_executor(None, work))
        print(got, result)
        try:
            await (to_thread(fail) if to_thread else loop.run_in_executor(None, fail))
        except ValueError:
            print(failure)


asyncio.run(main())
