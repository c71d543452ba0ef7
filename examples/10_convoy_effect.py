"""Lab 10: the convoy effect: a CPU-bound thread slows down an I/O-bound one.

The "io" thread does many tiny I/O round trips on a local socket pair. Each
send/recv releases the GIL, and afterwards the thread must get the GIL back.
Alone, it gets it back at once. Next to the "cpu" thread, which never blocks,
it has to wait until the cpu thread is asked to drop the GIL: up to one switch
interval (sys.getswitchinterval(), 5 ms by default) after EVERY I/O operation.
The I/O is just as fast; the waiting for the GIL is what stretches.

The script runs the I/O loop twice, alone and then next to the cpu thread, and
prints the average time per round trip for each.

What the timeline should show: in the second phase, after each short
"blocked: I/O" bar the io thread sits "waiting" (for the GIL) while the cpu
thread runs; handoffs to the io thread come only when the cpu thread is
preempted. The io thread's waiting time dwarfs its running time.
"""
import socket
import threading
import time

ROUND_TRIPS = 100


def io_loop(a, b, timings, key):
    start = time.perf_counter()
    for _ in range(ROUND_TRIPS):
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
        print(f"I/O round trip {key}: {timings[key]:.3f} ms on average")
    slower = timings["with cpu"] > timings["alone"]
    print("the cpu thread slowed the I/O down" if slower else "no convoy seen this time")


if __name__ == "__main__":
    main()
