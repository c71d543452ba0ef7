# expect: no-race
# lock.acquire() / try / finally lock.release() around a read-modify-write of an attribute.
import threading


class Wallet:
    def __init__(self):
        self.balance = 1000
        self.lock = threading.Lock()

    def spend(self):
        for _ in range(300):
            self.lock.acquire()
            try:
                self.balance -= 1
            finally:
                self.lock.release()


w = Wallet()
threads = [threading.Thread(target=w.spend) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(w.balance)
