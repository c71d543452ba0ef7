# Forks twice: first while a second thread runs (3.12+ warns: the program is multi-threaded), then
# after joining it (no warning). The tracer must leave both as they are untraced.
import os
import threading
import time

worker = threading.Thread(target=time.sleep, args=(0.3,), name="worker")
worker.start()
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    worker.join()
print("forked twice")
