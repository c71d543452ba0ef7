"""Lab 05: the same counter, guarded by a threading.Lock: always correct.

The lock makes the read, the sleep and the write one critical section: another
thread that wants the lock blocks until it is released.

What the timeline should show: threads blocked on "lock" while another one holds
it, LOCK_ACQUIRED/LOCK_RELEASE pairs, handoffs with reason "lockWait" or
"blocking", and no race point on `counter`.
"""
import threading
import time

N = 200
counter = 0
counter_lock = threading.Lock()


def increment():
    global counter
    for _ in range(N):
        with counter_lock:
            tmp = counter
            time.sleep(0)
            counter = tmp + 1


def main():
    threads = [threading.Thread(target=increment, name=f"inc-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"counter = {counter} (expected {4 * N})")


if __name__ == "__main__":
    main()
