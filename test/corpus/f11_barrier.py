# expect: no-race
# Phase 1 writes `phase_one`, a Barrier separates it from phase 2, which only reads it.
import threading

phase_one = None
barrier = threading.Barrier(3)
sums = [0, 0, 0]


def work(i):
    global phase_one
    if i == 0:
        phase_one = list(range(100))
    barrier.wait()
    sums[i] = sum(phase_one)


threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sums)
