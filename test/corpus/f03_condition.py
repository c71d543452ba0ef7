# expect: no-race
# Producer and consumer on a Condition: `produced` and `consumed` only change under its lock.
import threading

cond = threading.Condition()
items = []
produced = 0
consumed = 0


def producer():
    global produced
    for i in range(200):
        with cond:
            items.append(i)
            produced += 1
            cond.notify()


def consumer():
    global consumed
    for _ in range(200):
        with cond:
            while not items:
                cond.wait()
            items.pop()
            consumed += 1


threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(produced, consumed)
