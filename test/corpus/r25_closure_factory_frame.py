# expect: race done in run
# The factory's own frame and the closure it starts in a thread both update one cell.
import threading


def run():
    done = 0

    def work():
        nonlocal done
        for _ in range(1500):
            done += 1

    worker = threading.Thread(target=work)
    worker.start()
    for _ in range(1500):
        done += 1
    worker.join()
    return done


print(run())
