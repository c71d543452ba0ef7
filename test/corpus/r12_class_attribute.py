# expect: race Stats.hits
# A class attribute used as a shared counter.
import threading


class Stats:
    hits = 0


def work():
    for _ in range(1500):
        Stats.hits += 1


threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(Stats.hits)
