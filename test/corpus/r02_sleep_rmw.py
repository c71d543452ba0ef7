# expect: race counter
# Read, sleep(0), write: the sleep hands the GIL over between the read and the write.
import threading
import time

counter = 0


def work():
    global counter
    for _ in range(50):
        tmp = counter
        time.sleep(0)
        counter = tmp + 1


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
