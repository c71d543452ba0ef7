# expect: no-race
# Condition.wait_for on a flag the other thread sets under the same condition.
import threading

cond = threading.Condition()
ready = False
payload = None


def waiter():
    with cond:
        cond.wait_for(lambda: ready)
        print(payload)


def setter():
    global ready, payload
    with cond:
        payload = "hello"
        ready = True
        cond.notify_all()


threads = [threading.Thread(target=waiter), threading.Thread(target=setter)]
for t in threads:
    t.start()
for t in threads:
    t.join()
