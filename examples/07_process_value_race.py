"""Lab 07: multiprocessing.Value incremented from processes without its lock.

`value.value += 1` reads the shared memory, adds, and writes it back. Processes
run truly in parallel (no GIL between them), so updates are lost on every
version. A 1 ms sleep between read and write makes it happen on one core too.

What the timeline should show: four processes interleaving on the shared
`value.value`, and a lost-update race point on it.
"""
import multiprocessing
import time

N = 50


def increment(value):
    for _ in range(N):
        tmp = value.value
        time.sleep(0.001)
        value.value = tmp + 1


def main():
    value = multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=increment, args=(value,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("lost updates" if value.value < 4 * N else "no lost updates")


if __name__ == "__main__":
    main()
