# An exception escapes a thread (the traceback goes to stderr), the main thread ends with exit code 4.
import sys
import threading


def crash():
    {}["missing key"]


t = threading.Thread(target=crash, name="crasher")
t.start()
t.join()
print("main thread still runs", flush=True)
sys.exit(4)
