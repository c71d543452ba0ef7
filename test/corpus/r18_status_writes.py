# expect: race status
# Two threads overwrite a status string, the main thread reads it while they run.
import threading
import time

status = "idle"


def set_status(name):
    global status
    for i in range(200):
        status = f"{name}-{i}"
        if i % 50 == 0:
            time.sleep(0)


threads = [threading.Thread(target=set_status, args=(n,)) for n in ("a", "b")]
for t in threads:
    t.start()
seen = status
for t in threads:
    t.join()
print(seen is not None)
