# expect: no-race
# The main thread publishes `config` after starting the worker, then sets an Event the worker waits on.
import threading

config = None
started = threading.Event()


def worker():
    started.wait()
    print(config["mode"])


t = threading.Thread(target=worker)
t.start()
config = {"mode": "fast"}
started.set()
t.join()
