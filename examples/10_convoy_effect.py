"""Lab 10: the convoy effect: a CPU-bound thread slows down an I/O-bound one.

The "io" thread works like a small server polling a local socket pair: it
waits up to 1 ms for a message (select), then does a tiny send/recv round trip.
Each of these I/O calls releases the GIL, and afterwards the thread must get
the GIL back. Alone, it gets it back at once. Next to the "cpu" thread, which
never blocks, it has to wait until the cpu thread is asked to drop the GIL: up
to one switch interval (sys.getswitchinterval(), 5 ms by default) after EVERY I/O operation.
The I/O is just as fast; the waiting for the GIL is what stretches.

The script runs the I/O loop twice, alone and then next to the cpu thread, and
prints the average time per iteration for each (about 1 ms alone, several ms
next to the cpu thread).

What the timeline should show: in the first phase the "io-alone" thread's
"blocked" bars (select, then the round trip) are about 1 ms long. In the second
phase each of the "io" thread's short blocked bars is followed by a hatched "waiting for the GIL" bar while
the cpu thread runs: the I/O returned, the thread waits for the GIL. (On Linux
the syscall sampler finds where that wait begins; elsewhere it stays inside the
blocked bar, which then stretches to several ms.) The handoffs from cpu to io
have reason "preempted": the cpu thread is made to drop the GIL for the io
thread every time, up to one switch interval late. The cpu thread gets almost
all the GIL time.
"""
import select
import socket
import threading
import time

ROUND_TRIPS = 50
POLL_S = 0.001


def io_loop(a, b, timings, key):
    start = time.perf_counter()
    for _ in range(ROUND_TRIPS):
        select.select([b], [], [], POLL_S)  # nothing arrives: a 1 ms wait outside the GIL
        a.sendall(b"x")
        b.recv(1)
    timings[key] = (time.perf_counter() - start) / ROUND_TRIPS * 1000


def cpu_loop(stop):
    total = 0
    while not stop.is_set():
        for i in range(10_000):
            total += i % 7


def main():
    a, b = socket.socketpair()
    timings = {}
    alone = threading.Thread(target=io_loop, args=(a, b, timings, "alone"), name="io-alone")
    alone.start()
    alone.join()

    stop = threading.Event()
    cpu = threading.Thread(target=cpu_loop, args=(stop,), name="cpu")
    io = threading.Thread(target=io_loop, args=(a, b, timings, "with cpu"), name="io")
    cpu.start()
    io.start()
    io.join()
    stop.set()
    cpu.join()
    a.close()
    b.close()
    for key in ("alone", "with cpu"):
        print(f"I/O loop {key}: {timings[key]:.2f} ms per iteration on average")
    slower = timings["with cpu"] > timings["alone"]
    print("the cpu thread slowed the I/O down" if slower else "no convoy seen this time")


if __name__ == "__main__":
    main()
