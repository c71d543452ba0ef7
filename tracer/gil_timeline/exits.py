"""Every way out of the process writes the trace's last events and its process-end chunk:
normal exit and sys.exit (atexit, after non-daemon threads were joined), uncaught exceptions,
os._exit (patched), SIGTERM/SIGHUP (handlers that then die by the same signal), fork children."""
import atexit
import os
import signal
import sys

from . import fork_warning


class ExitState:
    def __init__(self):
        self.how = "exit"
        self.exit_code = 0
        self.signal = None
        self.error = None
        self.os_exit_how = "os._exit"

    def end_info(self):
        return {"exitCode": self.exit_code, "how": self.how, "signal": self.signal, "error": self.error}


def exit_code_of(system_exit):
    """The process exit status Python derives from a SystemExit."""
    code = system_exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1


def install(session, stop_tracking, on_fork_child):
    rec = session.rec
    state = ExitState()
    real_exit = os._exit
    real_kill = os.kill

    def finish(**changes):
        for key, value in changes.items():
            setattr(state, key, value)
        try:
            stop_tracking()
        except Exception as exc:
            # The program must still end the way it asked (os._exit's code, a signal), even when
            # tracking cannot be undone: its sys.monitoring tool id freed by the program (3.12+),
            # or sys.settrace refusing in a fork child (3.10/3.11: "Cannot install a trace
            # function while another trace function is being installed").
            if not rec.closed:
                session.mark(session.current(), "the tracer could not stop tracking at exit: %s" % exc)
        finally:
            rec.finish(state.end_info())

    def at_exit():
        finish()
        if state.signal == signal.SIGINT:
            # An uncaught KeyboardInterrupt: Python dies by SIGINT so the shell sees it.
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            real_kill(os.getpid(), signal.SIGINT)

    def os_exit(code):
        finish(how=state.os_exit_how, exit_code=code & 0xFF if isinstance(code, int) else code)
        real_exit(code)

    def on_signal(signum, frame):
        finish(how="signal", signal=signum, exit_code=None)
        signal.signal(signum, signal.SIG_DFL)
        real_kill(os.getpid(), signum)

    atexit.register(at_exit)
    os._exit = os_exit
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, on_signal)

    def after_fork_in_child():
        state.__init__()
        on_fork_child()

    os.register_at_fork(after_in_child=after_fork_in_child)
    # The recorder's flusher thread (when this process has one: a fork child starts it only when it
    # needs it) must not earn the program a fork warning.
    fork_warning.install(lambda: 1 if rec.flusher_running else 0)
    return state
