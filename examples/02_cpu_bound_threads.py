"""Lab 02: CPU-bound threads take turns under the GIL.

Four threads run a pure-Python loop. Only the thread holding the GIL can run
Python bytecode, so they take turns: the running thread is asked to drop the GIL
every switch interval (sys.getswitchinterval(), 5 ms by default).

What the timeline should show: at any moment exactly one thread running, the
others waiting for the GIL; handoffs (reason "preempted") about every switch
interval; the total time is no better than running the four loops one after the
other.
"""
import threading

N = 500_000


def spin(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total


def worker(results, index):
    results[index] = spin(N)


def main():
    results = [0] * 4
    threads = [threading.Thread(target=worker, args=(results, i), name=f"cpu-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("results:", results)


if __name__ == "__main__":
    main()
