# expect: no-race
# Values set before start() are visible to the threads; the main thread changes them only after join().
import threading

limit = 500
label = "run"


def work():
    acc = 0
    for n in range(limit):
        acc += n
    print(label, acc)


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
limit = 0
label = "done"
print(limit, label)
