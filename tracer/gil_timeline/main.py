"""Entry point: parse options, start recording, run the program, record how it ended."""
import os
import platform
import sys
import sysconfig
import time
import traceback

from . import blocking, exits, locks, races, runner, threads
from .options import UsageError, USAGE, parse
from .recorder import Recorder, warn
from .scope import Scope
from .session import Session
from .tb import strip_tracer_frames

MONITORING = sys.version_info >= (3, 12)


def python_info():
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return {
        "executable": sys.executable,
        "version": platform.python_version(),
        "implementation": sys.implementation.name,
        "gilEnabled": bool(is_gil_enabled()) if is_gil_enabled else True,
        "freeThreaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    }


def main(argv):
    try:
        opts = parse(argv)
    except UsageError as exc:
        sys.stderr.write("gil-timeline: %s\n%s\n" % (exc, USAGE))
        return 2
    if opts.switch_interval:
        sys.setswitchinterval(opts.switch_interval)

    if opts.module:
        runner.prepare_module()
        sys.argv = ["-m"] + opts.args  # runpy replaces argv[0] with the module's file
        default_scope = os.getcwd()
        code = filename = None
    else:
        filename = None
        try:
            filename, code = runner.compile_script(opts.script)
        except runner.ScriptNotFound as exc:
            sys.stderr.write("%s\n" % exc)
            return 2
        except SyntaxError as exc:
            code = exc  # reported once recording has started, so the trace holds it
        runner.prepare_script(opts.script)
        sys.argv = [opts.script] + opts.args
        default_scope = os.path.dirname(os.path.abspath(opts.script))

    scope = Scope(opts.scope or [default_scope])
    started = [time.perf_counter_ns(), time.time_ns()]
    start_method = [None]

    def process_info():
        return {
            "pid": os.getpid(), "parentPid": os.getppid(), "python": python_info(),
            "switchIntervalS": sys.getswitchinterval(),
            "mechanism": "sys.monitoring" if MONITORING else "settrace",
            "races": opts.races, "startNs": started[0], "startEpochNs": started[1],
            "script": os.path.abspath(opts.script) if opts.script else None,
            "module": opts.module, "argv": list(sys.argv), "cwd": os.getcwd(),
            "scope": scope.folders, "startMethod": start_method[0],
        }

    try:
        rec = Recorder(opts.out, True, opts.max_events, opts.flush_ms, process_info)
    except OSError as exc:
        sys.stderr.write("gil-timeline: cannot open the trace file: %s\n" % exc)
        return 2
    session = Session(rec, scope, opts.races)
    start_tracking, stop_tracking = _install_tracking(session)

    def on_fork_child():
        started[:] = [time.perf_counter_ns(), time.time_ns()]
        rec.after_fork_in_child()
        threads.record_main_thread(session, session.state.index)

    state = exits.install(session, stop_tracking, on_fork_child)
    threads.install(session)
    locks.install(session)
    blocking.install(session, rec.fd)
    threads.record_main_thread(session)

    if isinstance(code, SyntaxError):
        return _report_uncaught(session, state, code)
    start_tracking()
    try:
        if opts.module:
            runner.run_module(opts.module)
        else:
            runner.run_script(filename, code)
    except SystemExit as exc:
        state.exit_code = exits.exit_code_of(exc)
        raise
    except KeyboardInterrupt as exc:
        _report_uncaught(session, state, exc)
        state.how, state.signal, state.exit_code = "signal", 2, None
        return None
    except BaseException as exc:  # noqa: B902 - every uncaught exception ends the program
        return _report_uncaught(session, state, exc)
    return 0


def _install_tracking(session):
    if MONITORING:
        from . import gil_monitoring as tracking
    else:
        from . import gil_settrace as tracking
    race_mode = races.install(session, pair_straight_lines=MONITORING) if session.races else None
    return tracking.install(session, race_mode)


def _report_uncaught(session, state, exc):
    """Print the traceback as Python would (without the tracer's frames), record it, exit 1."""
    strip_tracer_frames(exc)
    session.exception_record(0, exc)
    state.how, state.exit_code = "exception", 1
    state.error = _error_info(session, exc)
    try:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    except Exception:
        warn("sys.excepthook failed")
    return 1


def _error_info(session, exc):
    if isinstance(exc, SyntaxError):
        file, line = exc.filename, exc.lineno
        message = exc.msg
    else:
        file = line = None
        tb = exc.__traceback__
        while tb is not None:
            if file is None or session.scope.code(tb.tb_frame.f_code):
                file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
        message = str(exc)
    return {
        "type": type(exc).__name__, "message": message, "file": file, "line": line,
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
