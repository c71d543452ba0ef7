# expect: no-race
# Same code, different objects: every thread counts on its own Tally instance.
import threading


class Tally:
    def __init__(self):
        self.count = 0

    def run(self):
        for _ in range(1000):
            self.count += 1


tallies = [Tally() for _ in range(3)]
threads = [threading.Thread(target=t.run) for t in tallies]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sum(t.count for t in tallies))
