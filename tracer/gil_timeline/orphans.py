"""A program traced for the extension or the CLI ends when its launcher does: when VS Code, its
extension host or the `gil-timeline` CLI is killed mid-run, nothing else would ever stop it (it
runs in a process group of its own). Linux only: the kernel sends SIGTERM on the launcher's death
(PR_SET_PDEATHSIG), which the tracer handles like any SIGTERM (the trace is written, the program
dies by it). The setting is not inherited by the program's own children, which are left as they
would be untraced."""
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def end_with(parent_pid):
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # only when a launcher asked for it
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            return
    except (OSError, AttributeError, ImportError):
        return
    if os.getppid() != parent_pid:
        # The launcher was gone before the setting took effect: nobody will wait for this run.
        os.kill(os.getpid(), signal.SIGTERM)
