# Copied by paths.test.ts into a folder named like `it's a "lab" ü 日本`: imports a sibling module,
# prints where it runs, runs a thread and a multiprocessing spawn child (started through the
# tracer's sitecustomize on PYTHONPATH, which then lives under an awkward path too).
import multiprocessing as mp
import os
import sys
import threading

import sibling_ü


def child(queue):
    queue.put(sibling_ü.greeting("child"))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    print("folder:", os.path.basename(here))
    print("cwd is the folder:", os.path.samefile(os.getcwd(), here))
    print("argv:", sys.argv[1:-1])  # the last argument is the test's process marker
    t = threading.Thread(target=print, args=(sibling_ü.greeting("thread"),), name="greeter ü")
    t.start()
    t.join()
    mp.set_start_method("spawn")
    queue = mp.Queue()
    p = mp.Process(target=child, args=(queue,))
    p.start()
    print(queue.get())
    p.join()
    print("child exit code", p.exitcode)
