# expect: race self.count
# Two methods of one shared object update the same attribute from different threads.
import threading


class Inventory:
    def __init__(self):
        self.count = 0

    def add(self):
        for _ in range(1500):
            self.count += 1

    def remove(self):
        for _ in range(1500):
            self.count -= 1


inv = Inventory()
threads = [threading.Thread(target=inv.add), threading.Thread(target=inv.remove)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(inv.count)
