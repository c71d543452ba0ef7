# Never ends: a worker thread and the main thread both loop until the process is stopped from outside.
import threading
import time


def spin():
    while True:
        time.sleep(0.01)


threading.Thread(target=spin, name="spinner").start()
print("running", flush=True)
while True:
    time.sleep(0.05)
