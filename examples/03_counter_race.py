"""Lab 03: `counter += 1` from four threads, the lesson's race.

`counter += 1` is not one step: it is LOAD_GLOBAL, an add, STORE_GLOBAL. If the
GIL passes to another thread between the load and the store, one update is lost.

Whether that happens untraced depends on the interpreter: up to 3.9 the GIL can
be dropped at almost any instruction, so the final counter is usually below
400000. From 3.10 the switch points are calls and backward jumps only, so this
exact loop happens not to lose updates -- safe by accident, not by design.

What the timeline should show: four threads taking turns, and a race point on
`counter` (read and write from every thread with no lock), marked as possible
untraced on 3.8/3.9 and not on 3.10+.
"""
import threading

N = 100_000
counter = 0


def increment():
    global counter
    for _ in range(N):
        counter += 1


def main():
    threads = [threading.Thread(target=increment, name=f"inc-{i}") for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"counter = {counter} (expected {4 * N})")


if __name__ == "__main__":
    main()
