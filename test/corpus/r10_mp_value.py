# expect: race v.value
# multiprocessing.Value updated from two processes without its lock.
import multiprocessing as mp


def work(v):
    for _ in range(10000):
        v.value += 1


if __name__ == "__main__":
    v = mp.Value("i", 0)
    procs = [mp.Process(target=work, args=(v,)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(v.value)
