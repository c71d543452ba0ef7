"""Start recording in this process: the trace file, the session, every hook. Shared by the
process the caller launched (main.py) and multiprocessing spawn children (child.py)."""
import os
import sys
import sysconfig
import time

from . import blocking, exits, locks, processes, sampling, threads
from .recorder import Recorder
from .scope import Scope
from .session import Session

MONITORING = sys.version_info >= (3, 12)


# Test-only: report a free-threaded build with the GIL off. No such build can be installed where the
# tests run; the recorded trace in test/fixtures/free-threaded/ was made with it (see its README).
FAKE_NO_GIL_ENV = "GIL_TIMELINE_TEST_REPORT_NO_GIL"


def python_info():
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    fake_no_gil = os.environ.get(FAKE_NO_GIL_ENV) == "1"
    return {
        "executable": sys.executable,
        "version": "%d.%d.%d" % sys.version_info[:3],
        "implementation": sys.implementation.name,
        "gilEnabled": False if fake_no_gil else bool(is_gil_enabled()) if is_gil_enabled else True,
        "freeThreaded": fake_no_gil or bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    }


class ChildInfo:
    """How a multiprocessing child was started and what it runs. A change makes the recorder write
    the process chunk again (a spawn child wrote its first one before it knew its target)."""

    def __init__(self, start_method):
        self.changed = None  # set to the recorder's "write the process chunk again"
        self.reset(start_method)

    def reset(self, start_method):
        self.start_method = start_method
        self.parent_pid = None  # None: the OS parent
        self.target = None
        self.tasks = []
        self._task_keys = set()

    def started(self, start_method, target, parent_pid):
        if self.start_method is None:
            self.start_method = start_method
        self.target = target
        self.parent_pid = parent_pid
        self.changed()

    def ran_task(self, description):
        key = (description["function"], description["file"], description["line"])
        if key not in self._task_keys:
            self._task_keys.add(key)
            self.tasks = self.tasks + [description]  # a new list: the flusher may be reading the old
            self.changed()


class Recording:
    """What a started recording hands back to its caller."""

    def __init__(self, session, exit_state, start_tracking):
        self.session = session
        self.exit_state = exit_state
        self.start_tracking = start_tracking


def start_recording(settings, create, start_method=None, forked=False):
    """settings: the JSON-able options (out, scope, races, flushMs, maxEvents, script, module).
    forked: this process was just forked (a fork server's child), so it starts the flusher thread
    only when it needs one, as an os.fork child does (recorder.start_flusher_lazily).
    Raises OSError when the trace file cannot be opened."""
    scope = Scope(settings["scope"])
    started = [time.perf_counter_ns(), time.time_ns()]
    child = ChildInfo(start_method)

    def process_info():
        return {
            "pid": os.getpid(), "parentPid": child.parent_pid or os.getppid(), "python": python_info(),
            "switchIntervalS": sys.getswitchinterval(),
            "mechanism": "sys.monitoring" if MONITORING else "settrace",
            "races": settings["races"], "startNs": started[0], "startEpochNs": started[1],
            "script": settings["script"], "module": settings["module"], "argv": list(sys.argv),
            "cwd": os.getcwd(), "scope": scope.folders, "startMethod": child.start_method,
            "target": child.target, "tasks": child.tasks,
        }

    rec = Recorder(settings["out"], create, settings["maxEvents"], settings["flushMs"], process_info,
                   flusher=not forked)

    def rewrite_process_chunk():
        # A later process chunk of a pid replaces its header (docs/trace-format.md).
        rec.process_chunk_due = True

    child.changed = rewrite_process_chunk
    session = Session(rec, scope, settings["races"])
    start_tracking, stop_tracking = _install_tracking(session)
    if create:
        stop_tracking = _with_sampler(stop_tracking, settings)

    def on_fork_child():
        started[:] = [time.perf_counter_ns(), time.time_ns()]
        child.reset(None)  # a multiprocessing child sets it (processes.py) before its first chunk
        rec.after_fork_in_child(session.state.index)
        threads.record_main_thread(session, session.state.index)

    state = exits.install(session, stop_tracking, on_fork_child)
    threads.install(session)
    locks.install(session)
    blocking.install(session, rec.fd)
    processes.install(session, state, settings, child)
    threads.record_main_thread(session)
    if forked:  # after tracking is installed: it sets the recorder's wake hook
        rec.start_flusher_lazily(session.state.index)
    return Recording(session, state, start_tracking)


def _with_sampler(stop_tracking, settings):
    """The launched process starts the syscall sampler (sampling.py); it stops when tracking stops."""
    stop_sampler = sampling.start(settings["out"], settings.get("sampleUs", 0))
    if stop_sampler is None:
        return stop_tracking

    def stop():
        try:
            stop_tracking()
        finally:
            stop_sampler()

    return stop


def _install_tracking(session):
    if MONITORING:
        from . import gil_monitoring as tracking
    else:
        from . import gil_settrace as tracking
    race_mode = None
    if session.races:
        from . import races  # dis and ast are only needed in race mode
        # 3.10+ cannot switch threads between a read and a write with only arithmetic between
        # them; before 3.10 it can, so each access is recorded where it happens.
        race_mode = races.install(session, pair_straight_lines=sys.version_info >= (3, 10))
    return tracking.install(session, race_mode)
