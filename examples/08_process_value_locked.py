"""Lab 08: multiprocessing.Value incremented under its own lock: always correct.

`with value.get_lock():` makes the read and the write one critical section across
processes.

What the timeline should show: the four child processes taking turns on the
shared lock: while one holds it, the others are blocked on "lock" (how often
depends on how much the children overlap in time), and no race point on
`value.value`.
"""
import multiprocessing
import time

N = 100


def increment(value):
    for _ in range(N):
        with value.get_lock():
            tmp = value.value
            time.sleep(0)
            value.value = tmp + 1


def main():
    value = multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=increment, args=(value,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(f"value = {value.value} (expected {4 * N})")


if __name__ == "__main__":
    main()
