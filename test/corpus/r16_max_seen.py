# expect: race max_seen
# Check-then-act on a running maximum.
import threading

max_seen = 0


def observe(values):
    global max_seen
    for v in values:
        if v > max_seen:
            max_seen = v


threads = [threading.Thread(target=observe, args=(range(i, 3000, 3),)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(max_seen)
