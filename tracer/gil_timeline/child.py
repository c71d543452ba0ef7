"""Recording in a child interpreter started by _child/sitecustomize.py: a multiprocessing spawn
child, the children of a multiprocessing fork server, or a Python program run through subprocess
(the roles of processes.py)."""
import json
import os
import sys
import _thread

from .exits import exit_code_of
from .processes import ENV
from .recorder import warn
from .start import start_recording


def start_child(spec):
    settings = json.loads(spec)
    role = settings.get("role", "spawn")
    # The child's own children must not inherit the tracer's sitecustomize by accident.
    os.environ.pop(ENV, None)
    if settings.get("pythonpath"):
        os.environ["PYTHONPATH"] = settings["pythonpath"]
    else:
        os.environ.pop("PYTHONPATH", None)
    if settings.get("switchIntervalS"):
        sys.setswitchinterval(settings["switchIntervalS"])
    if role == "forkserver":
        # The fork server is multiprocessing's helper: only what it forks is the user's.
        os.register_at_fork(after_in_child=lambda: _record(settings, "forkserver", forked=True))
        return
    if role == "subprocess":
        program = sys.argv[0] if sys.argv else ""
        settings["script"] = os.path.abspath(program) if program not in ("", "-c", "-m") else None
        settings["module"] = None
        if settings["script"] and not os.path.isfile(settings["script"]):
            return  # Python is about to say it cannot open the file (exit 2): nothing to trace
    recording = _record(settings, role)
    if recording is not None and role == "subprocess":
        _watch_exit(recording.exit_state)


def _record(settings, start_method, forked=False):
    try:
        recording = start_recording(settings, create=False, start_method=start_method, forked=forked)
    except OSError as exc:
        warn("cannot open the trace file in a child process: %s" % exc)
        return None
    recording.start_tracking()
    return recording


def _watch_exit(state):
    """A subprocess runs its own __main__, not the tracer's runner: learn its exit status from
    sys.exit() and from an uncaught exception. (A SystemExit raised by hand is not seen: its end
    chunk then says 0.)"""
    main_thread = _thread.get_ident()
    real_exit = sys.exit
    real_hook = sys.excepthook

    def exit(*args):
        if _thread.get_ident() == main_thread:
            state.exit_code = exit_code_of(SystemExit(*args))
        real_exit(*args)

    def excepthook(kind, value, tb):
        state.how, state.exit_code = "exception", 1
        real_hook(kind, value, tb)

    sys.exit = exit
    sys.excepthook = excepthook
