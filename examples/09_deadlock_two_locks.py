"""Lab 09: two threads, two locks, opposite order: a deadlock.

Thread "left" takes lock_a then wants lock_b; thread "right" takes lock_b then
wants lock_a. A barrier makes sure each holds its first lock before asking for
the second, so neither can ever get it. A real program would hang forever; here
each second acquire has a timeout, so the script reports
"deadlock: gave up after 1.0 s" and exits with status 1.

What the timeline should show: both threads blocked on "lock" at the same time
for the whole timeout, each holding the lock the other one is waiting for (hover
the blocked bars: left waits at `lock_b.acquire`, right at `lock_a.acquire`). No
thread is running and nobody holds the GIL for work: the program is stuck, not
busy. The timeline frames both blocked lanes and names the cycle ("deadlock:
left ⇄ right on lock_b/lock_a", broken when an acquire timed out); so do the
CLI and the JSON summary's deadlocks[]. The fix: take the locks in the same
order in every thread.
"""
import sys
import threading

TIMEOUT_S = 1.0

lock_a = threading.Lock()
lock_b = threading.Lock()
both_hold_one = threading.Barrier(2)
gave_up = []


def take(first, second, name):
    with first:
        both_hold_one.wait()
        if second.acquire(timeout=TIMEOUT_S):
            second.release()
        else:
            gave_up.append(name)


def main():
    threads = [
        threading.Thread(target=take, args=(lock_a, lock_b, "left"), name="left"),
        threading.Thread(target=take, args=(lock_b, lock_a, "right"), name="right"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if gave_up:
        print(f"deadlock: gave up after {TIMEOUT_S} s")
        print(f"gave up waiting for a second lock: {', '.join(sorted(gave_up))}")
        sys.exit(1)
    print("no deadlock")


if __name__ == "__main__":
    main()
