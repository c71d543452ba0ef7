"""What every part of the tracer shares within one process: the recorder, the scope, and the
calling thread's thread index."""
import itertools
import sys
import threading

from . import records as R


class _ThreadState(threading.local):
    # Class attributes are the defaults every thread sees until it sets its own.
    index = -1
    busy = False  # inside a recorded blocking call: nested ones are part of it


class Session:
    def __init__(self, recorder, scope, races):
        self.rec = recorder
        self.scope = scope
        self.races = races
        self.state = _ThreadState()
        self.next_index = itertools.count(1).__next__
        self.emit = recorder.emit
        # Called with (thread index) in each newly traced thread, before its first Python line.
        self.thread_hooks = []

    def mark(self, thread, text):
        self.emit(R.MARK, 0, thread, self.rec.str_id(text), 0)

    def current(self):
        """The calling thread's index; a thread not started through `threading` gets one now."""
        index = self.state.index
        if index < 0:
            index = self.adopt()
        return index

    def adopt(self):
        index = self.next_index()
        self.state.index = index
        # Not threading.current_thread(): in a thread `threading` did not start, that registers a
        # _DummyThread the program would then see in threading.enumerate() (CPython's regrtest
        # reported "threading._dangling was modified" under the tracer).
        thread = getattr(threading, "_active", {}).get(threading.get_ident())
        name = thread.name if thread is not None else "_thread-%d" % index
        daemon = thread.daemon if thread is not None else True
        self.emit(R.THREAD_START, R.THREAD_DUMMY | (R.THREAD_DAEMON if daemon else 0), index,
                  native_id(), self.rec.str_id(name))
        return index

    def site(self, frame):
        """Site id of the nearest frame in scope at or above `frame` (else `frame` itself)."""
        first = frame
        code_in_scope = self.scope.code
        while frame is not None and not code_in_scope(frame.f_code):
            frame = frame.f_back
        return self.rec.frame_site(frame if frame is not None else first)

    def caller_site(self, depth=2):
        return self.site(sys._getframe(depth))

    def traceback_site(self, tb):
        """Site of the innermost traceback entry in scope (else the innermost entry)."""
        chosen = last = None
        while tb is not None:
            last = tb
            if self.scope.code(tb.tb_frame.f_code):
                chosen = tb
            tb = tb.tb_next
        chosen = chosen or last
        if chosen is None:
            return 0
        return self.rec.site_id(chosen.tb_frame.f_code, chosen.tb_lasti, chosen.tb_lineno)

    def exception_record(self, thread, exc):
        rec = self.rec
        message = _safe_str(exc)
        self.emit(R.EXCEPTION, 0, thread, self.traceback_site(exc.__traceback__),
                  rec.str_id(type(exc).__name__) + (rec.str_id(message) << 32))


def native_id():
    get = getattr(threading, "get_native_id", None)
    return get() if get else threading.get_ident() & 0xFFFFFFFF


def _safe_str(exc):
    try:
        return str(exc)
    except Exception:
        return "<unprintable %s>" % type(exc).__name__
