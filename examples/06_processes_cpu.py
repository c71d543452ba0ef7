"""Lab 06: CPU-bound work in processes runs in parallel.

Each multiprocessing.Process is its own interpreter with its own GIL, so on a
machine with several cores the four loops really run at the same time.

What the timeline should show: one process per worker (plus the parent waiting
on "process wait"), each with a single thread that runs without handoffs; the
loops overlap in time instead of taking turns as in lab 02.
"""
import multiprocessing

N = 500_000


def spin(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total


def worker(index):
    spin(N)


def main():
    procs = [multiprocessing.Process(target=worker, args=(i,), name=f"proc-{i}") for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("exit codes:", [p.exitcode for p in procs])


if __name__ == "__main__":
    main()
