# expect: race done
# A plain global flag polled by the main thread: nothing orders the write and the reads.
import threading
import time

done = False


def work():
    global done
    time.sleep(0.005)
    done = True


t = threading.Thread(target=work)
t.start()
while not done:
    time.sleep(0.001)
t.join()
print("done")
