"""Lab 01: I/O-bound threads overlap.

Four threads each call time.sleep() a few times. time.sleep releases the GIL, so
while one thread sleeps the others run (or sleep too).

What the timeline should show: four threads whose long "blocked: sleep" bars
overlap in time, with only tiny running slices between them. The whole run takes
about as long as ONE thread's sleeps (~0.4 s), not four times that.
"""
import threading
import time

SLEEPS = 4
SLEEP_S = 0.1


def worker(name):
    for _ in range(SLEEPS):
        time.sleep(SLEEP_S)
    print(f"{name} done")


def main():
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(f"worker-{i}",), name=f"worker-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    # Prints a verdict, not the time itself, so the output stays deterministic.
    overlapped = elapsed < SLEEPS * SLEEP_S * 2
    print("threads overlapped" if overlapped else "threads did NOT overlap")


if __name__ == "__main__":
    main()
