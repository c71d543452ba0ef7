# expect: race total
# A Thread subclass whose run() adds to a module global.
import threading

total = 0


class Adder(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def run(self):
        global total
        for _ in range(self.n):
            total += 1


threads = [Adder(1500) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total)
