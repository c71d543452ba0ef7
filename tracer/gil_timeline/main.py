"""Entry point: parse options, start recording, run the program, record how it ended."""
import os
import signal
import sys

from . import exits, orphans, runner
from .options import UsageError, USAGE, parse
from .recorder import warn
from .start import start_recording
from .tb import strip_tracer_frames


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
            code = exc  # like a SyntaxError, reported once the trace can hold it
        except SyntaxError as exc:
            code = exc  # reported once recording has started, so the trace holds it
        runner.prepare_script(opts.script)
        sys.argv = [opts.script] + opts.args
        default_scope = os.path.dirname(os.path.abspath(opts.script))

    settings = {
        "out": opts.out, "scope": opts.scope or [default_scope], "races": opts.races,
        "flushMs": opts.flush_ms, "maxEvents": opts.max_events,
        "script": os.path.abspath(opts.script) if opts.script else None, "module": opts.module,
        "switchIntervalS": opts.switch_interval, "sampleUs": opts.sample_us,
    }
    try:
        recording = start_recording(settings, create=True)
    except OSError as exc:
        sys.stderr.write("gil-timeline: cannot open the trace file: %s\n" % exc)
        return 2
    session, state = recording.session, recording.exit_state
    if opts.parent_pid:
        orphans.end_with(opts.parent_pid)  # after start_recording: its SIGTERM handling writes the trace

    if isinstance(code, runner.ScriptNotFound):
        sys.stderr.write("%s\n" % code)
        state.how, state.exit_code = "exception", 2  # what Python exits with
        message = str(code).split(": ", 1)[-1]  # without the interpreter's name
        state.error = {"type": "FileNotFoundError", "message": message, "file": settings["script"], "line": None}
        return 2
    if isinstance(code, SyntaxError):
        return _report_uncaught(session, state, code)
    recording.start_tracking()
    try:
        if opts.module:
            runner.run_module(opts.module)
        else:
            runner.run_script(filename, code)
    except SystemExit as exc:
        state.exit_code = exits.exit_code_of(exc)
        raise
    except KeyboardInterrupt as exc:
        # The process dies by SIGINT once the trace is written; another Ctrl-C must not
        # interrupt the report (exits.at_exit restores the default handler first).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _report_uncaught(session, state, exc)
        state.how, state.signal, state.exit_code = "signal", 2, None
        return None
    except BaseException as exc:  # noqa: B902 - every uncaught exception ends the program
        return _report_uncaught(session, state, exc)
    return 0


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
    import traceback  # only when there is one to format
    return {
        "type": type(exc).__name__, "message": message, "file": file, "line": line,
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
