# expect: no-race
# Request and reply through two Events: the worker reads the request after the first, the main
# thread reads the reply after the second.
import threading

request = None
reply = None
asked = threading.Event()
answered = threading.Event()


def worker():
    global reply
    asked.wait()
    reply = request.upper()
    answered.set()


t = threading.Thread(target=worker)
t.start()
request = "ping"
asked.set()
answered.wait()
print(reply)
t.join()
