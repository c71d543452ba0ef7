# KeyboardInterrupt: raised by the script itself ("raise"), or by a SIGINT sent from outside
# while it waits ("wait"); a finally block prints in both cases.
import sys
import threading
import time

threading.Thread(target=time.sleep, args=(0.01,), name="short").start()
try:
    if sys.argv[1] == "raise":
        raise KeyboardInterrupt
    print("waiting for SIGINT", flush=True)
    while True:
        time.sleep(0.01)
finally:
    print("finally ran", flush=True)
