# os.fork twice: one child leaves with os._exit(0), the other with sys.exit(6); the parent reaps both.
import os
import sys

for how in ("os._exit", "sys.exit"):
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        print("child via %s" % how, flush=True)
        if how == "os._exit":
            os._exit(0)
        sys.exit(6)
    _, status = os.waitpid(pid, 0)
    print("parent: child via %s exited %d" % (how, os.WEXITSTATUS(status)), flush=True)
print("parent done")
