# Daemon threads are still busy (one spinning, one sleeping, one blocked on a lock) when the program ends.
import threading
import time

never = threading.Lock()
never.acquire()
started = threading.Barrier(4)


def spin():
    started.wait()
    n = 0
    while True:
        n += 1


def nap():
    started.wait()
    while True:
        time.sleep(0.01)


def blocked():
    started.wait()
    never.acquire()


for target in (spin, nap, blocked):
    threading.Thread(target=target, name=target.__name__, daemon=True).start()
started.wait()
time.sleep(0.05)
print("main done", flush=True)
