# A worker thread ends the whole process with os._exit(3) while the main thread waits on it.
import os
import threading
import time


def leave():
    time.sleep(0.05)
    print("thread leaving", flush=True)
    os._exit(3)


threading.Thread(target=leave, name="leaver").start()
while True:
    time.sleep(0.01)
