"""Lab 04: a read-modify-write with a blocking call in the middle loses updates everywhere.

`tmp = counter; time.sleep(0); counter = tmp + 1`: time.sleep(0) releases the
GIL, so another thread almost surely runs between the read and the write, on
every Python version. The final counter is far below the expected value.

What the timeline should show: four threads handing off at every sleep (reason
"blocking"), short sleep blocks, and a lost-update race point on `counter` that
is possible untraced on every version.
"""
import threading
import time

N = 200
counter = 0


def increment():
    global counter
    for _ in range(N):
        tmp = counter
        time.sleep(0)
        counter = tmp + 1


def main():
    threads = [threading.Thread(target=increment, name=f"inc-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("lost updates" if counter < 4 * N else "no lost updates")


if __name__ == "__main__":
    main()
