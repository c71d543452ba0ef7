"""Thread lifecycle records: thread indexes are assigned by the parent in Thread.start(), the
child announces itself (THREAD_START) before running its target, and joins are recorded."""
import threading

from . import records as R
from .session import native_id as _native_id
from .tb import strip_tracer_frames


def install(session):
    rec, emit = session.rec, session.emit
    state = session.state
    Thread = threading.Thread
    orig_start = Thread.start
    orig_bootstrap_inner = Thread._bootstrap_inner
    orig_join = Thread.join

    def start(self):
        if getattr(self, "_gt_index", None) is None and not self._started.is_set():
            index = session.next_index()
            self._gt_index = index
            emit(R.THREAD_SPAWN, 0, session.current(), index, 0)
        return orig_start(self)

    def _bootstrap_inner(self):
        index = getattr(self, "_gt_index", None)
        if index is None or rec.closed:
            return orig_bootstrap_inner(self)
        state.index = index
        for hook in session.thread_hooks:
            hook(index)
        emit(R.THREAD_START, R.THREAD_DAEMON if self.daemon else 0, index,
             _native_id(),
             rec.str_id(self.name) + (_target_code_id(rec, self) << 32))
        outcome = [0]
        invoke = getattr(self, "_invoke_excepthook", None)
        if invoke is not None:
            def invoke_excepthook(thread, _invoke=invoke):
                exc = _current_exception()
                if exc is not None:
                    outcome[0] = 1
                    strip_tracer_frames(exc)
                    session.exception_record(index, exc)
                return _invoke(thread)
            self._invoke_excepthook = invoke_excepthook
        try:
            orig_bootstrap_inner(self)
        finally:
            emit(R.THREAD_END, 0, index, outcome[0], 0)

    def join(self, timeout=None):
        index = getattr(self, "_gt_index", None)
        if index is None or state.busy:
            return orig_join(self, timeout)
        me = session.current()
        site = session.caller_site()
        emit(R.BLOCK_ENTER, R.JOIN, me, site, index)
        state.busy = True
        try:
            orig_join(self, timeout)
        except BaseException:
            emit(R.BLOCK_EXIT, R.JOIN, me, R.EXIT_RAISED, index)
            raise
        finally:
            state.busy = False
        finished = not self.is_alive()
        emit(R.BLOCK_EXIT, R.JOIN, me, R.EXIT_OK if finished else R.EXIT_TIMEOUT, index)
        if finished:
            emit(R.THREAD_JOINED, 0, me, index, 0)

    name_property = Thread.name

    def set_name(self, name):
        name_property.fset(self, name)
        index = getattr(self, "_gt_index", None) if self is not threading.main_thread() else 0
        # Only a thread renaming itself: a record in another thread's name would read as if
        # that thread had run.
        if index is not None and index == state.index and not rec.closed:
            emit(R.THREAD_NAME, 0, index, rec.str_id(str(name)), 0)

    Thread.name = property(name_property.fget, set_name, doc=name_property.__doc__)
    Thread.start = start
    Thread._bootstrap_inner = _bootstrap_inner
    Thread.join = join


def record_main_thread(session, index=0):
    """The main thread is thread index 0. A forked child's only thread keeps the index it had
    in the parent (its settrace closure holds it) and becomes that process's main thread."""
    session.state.index = index
    thread = threading.current_thread()
    rec = session.rec
    session.emit(R.THREAD_START, R.THREAD_MAIN, index, _native_id(),
                 rec.str_id(thread.name))


def _target_code_id(rec, thread):
    target = getattr(thread, "_target", None)
    if target is None and type(thread).run is not threading.Thread.run:
        target = type(thread).run
    code = getattr(target, "__code__", None)
    return rec.code_id(code) if code is not None else 0


def _current_exception():
    import sys
    return sys.exc_info()[1]
