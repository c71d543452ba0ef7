# expect: no-race
# threading.local: every thread has its own `local.value`.
import threading

local = threading.local()


def work():
    local.value = 0
    for _ in range(1000):
        local.value += 1


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("ok")
