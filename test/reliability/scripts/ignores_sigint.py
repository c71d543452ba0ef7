# Shrugs off SIGINT (says so) and never ends: a Ctrl-C does not stop it, so only a second one (the
# CLI then kills the process tree) or a timeout ends it.
import signal
import time


def shrug(signum, frame):
    print("SIGINT ignored", flush=True)


signal.signal(signal.SIGINT, shrug)
print("ignoring SIGINT", flush=True)
while True:
    time.sleep(0.05)
