"""BLOCK_ENTER/BLOCK_EXIT around calls that can block and release the GIL, and the SYNC_*
records of the synchronisation objects built on them (docs/trace-format.md)."""
import functools
import sys

from . import records as R
from .imports import when_imported

_TIMEOUT_ERRORS = ()  # filled by install(): exceptions that mean "timed out"


def wrap(session, func, kind, obj=None, outcome=None, release=False, acquire=False,
         from_scope_only=False, blocks=None, acquired_raising=None, library_blocks=None):
    """A wrapper of `func` that records it as a blocking call of block kind `kind`.

    obj(args) -> object whose number goes in `b`; outcome(result, args) -> BLOCK_EXIT `a`;
    release/acquire: SYNC_RELEASE before the call / SYNC_ACQUIRE after a successful one;
    from_scope_only: only calls made directly by code in scope (the stdlib's internal uses
    of Event, Condition... are part of the call that made them); blocks(args) -> False when
    this call cannot block (then only the SYNC records are written); library_blocks(args): the same
    for a call made by code out of scope (a library's internal call); acquired_raising(args) -> True
    when a call that raised still got what it waited for (a future's own exception)."""
    state = session.state
    rec = session.rec
    emit = session.emit
    in_scope = session.scope.code
    getframe = sys._getframe
    objects = rec.objects
    before_block = rec.before_block  # a fork child's lazy flusher (recorder.start_flusher_lazily)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if state.busy or rec.closed:
            return func(*args, **kwargs)
        before_block[0]()
        caller = getframe(1)
        if from_scope_only and not in_scope(caller.f_code):
            return func(*args, **kwargs)
        me = session.current()
        site = session.site(caller)
        number = objects(obj(args)) if obj is not None else 0
        if release:
            emit(R.SYNC_RELEASE, 0, me, site, number)
        recorded = (blocks is None or blocks(args)) and \
            (library_blocks is None or library_blocks(args) or in_scope(caller.f_code))
        if recorded:
            emit(R.BLOCK_ENTER, kind, me, site, number)
        state.busy = True
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            state.busy = False
            if recorded:
                timed_out = isinstance(exc, _TIMEOUT_ERRORS)
                emit(R.BLOCK_EXIT, kind, me, R.EXIT_TIMEOUT if timed_out else R.EXIT_RAISED, number)
            if acquire and acquired_raising is not None and acquired_raising(args):
                emit(R.SYNC_ACQUIRE, 0, me, site, number)
            raise
        state.busy = False
        ok = outcome(result, args) if outcome is not None else R.EXIT_OK
        if recorded:
            emit(R.BLOCK_EXIT, kind, me, ok, number)
        if acquire and ok == R.EXIT_OK:
            emit(R.SYNC_ACQUIRE, 0, me, site, number)
        return result

    wrapper.__gil_timeline_original__ = func
    return wrapper


def sync_release(session, func, from_scope_only=True):
    """Records SYNC_RELEASE (Event.set, notify, Semaphore.release...) before calling func."""
    state = session.state
    rec = session.rec
    in_scope = session.scope.code
    getframe = sys._getframe

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not state.busy and not rec.closed:
            caller = getframe(1)
            if not from_scope_only or in_scope(caller.f_code):
                number = rec.objects(args[0])
                session.emit(R.SYNC_RELEASE, 0, session.current(), session.site(caller), number)
        return func(*args, **kwargs)

    wrapper.__gil_timeline_original__ = func
    return wrapper


def sync_release_any_caller(session, func):
    """A future completes in the executor's worker (stdlib code), not in the program's code."""
    return sync_release(session, func, from_scope_only=False)


def _self(args):
    return args[0]


def _truthy(result, args):
    return R.EXIT_OK if result else R.EXIT_TIMEOUT


def _poll_factory(make_poll, wrap_method):
    """select.poll() objects are C objects: hand out a proxy whose poll() is recorded. A class,
    not a function: selectors keeps `select.poll` as a class attribute, where a function would
    become a method."""

    class Poll:
        __slots__ = ("_poll", "poll")
        __gil_timeline_original__ = make_poll

        def __init__(self, *args):
            self._poll = make_poll(*args)
            self.poll = wrap_method(self._poll.poll)

        def __getattr__(self, name):
            return getattr(self._poll, name)

    return Poll


def _patch(owner, name, make):
    original = getattr(owner, name, None)
    if original is None or hasattr(original, "__gil_timeline_original__"):
        return
    setattr(owner, name, make(original))


def install(session, trace_fd):
    """Patches the blocking calls of modules already imported, the others when imported."""
    import builtins
    import os
    import threading
    import time

    global _TIMEOUT_ERRORS
    _TIMEOUT_ERRORS = (TimeoutError,)

    def add_timeout_error(exc_type):
        global _TIMEOUT_ERRORS
        _TIMEOUT_ERRORS = _TIMEOUT_ERRORS + (exc_type,)

    def leaf(kind, obj=None):
        return lambda f: wrap(session, f, kind, obj=obj)

    def scoped(kind, outcome=None, release=False, acquire=False, blocks=None):
        return lambda f: wrap(session, f, kind, obj=_self, outcome=outcome, release=release,
                              acquire=acquire, from_scope_only=True, blocks=blocks)

    def release(f):
        return sync_release(session, f)

    def os_io(kind):
        def make(f):
            inner = wrap(session, f, kind)

            @functools.wraps(f)
            def call(fd, *rest):
                # The tracer's own chunk writes are not the program's I/O.
                return f(fd, *rest) if fd == trace_fd else inner(fd, *rest)
            call.__gil_timeline_original__ = f
            return call
        return make

    _patch(time, "sleep", leaf(R.SLEEP))
    _patch(builtins, "input", leaf(R.INPUT))
    _patch(os, "read", os_io(R.IO_READ))
    _patch(os, "write", os_io(R.IO_WRITE))

    _patch(threading.Event, "wait", scoped(R.EVENT_WAIT, outcome=_truthy, acquire=True))
    _patch(threading.Event, "set", release)
    _patch(threading.Condition, "wait", scoped(R.CONDITION_WAIT, outcome=_truthy, acquire=True))
    _patch(threading.Condition, "wait_for", scoped(R.CONDITION_WAIT, outcome=_truthy, acquire=True))
    _patch(threading.Condition, "notify", release)
    _patch(threading.Condition, "notify_all", release)
    sem_acquire = scoped(R.SEMAPHORE, outcome=_truthy, acquire=True)
    _patch(threading.Semaphore, "acquire", sem_acquire)
    _patch(threading.Semaphore, "__enter__", sem_acquire)
    _patch(threading.Semaphore, "release", release)
    _patch(threading.Semaphore, "__exit__", release)
    _patch(threading.Barrier, "wait", scoped(R.BARRIER, release=True, acquire=True))

    def patch_select(select):
        _patch(select, "select", leaf(R.SELECT))
        poll_factory = getattr(select, "poll", None)
        if poll_factory is not None and not hasattr(poll_factory, "__gil_timeline_original__"):
            select.poll = _poll_factory(poll_factory, leaf(R.SELECT))

    def patch_selectors(selectors):
        # The selector classes' select() (epoll, poll, select underneath): asyncio's and
        # socketserver's waits for I/O.
        for cls in list(vars(selectors).values()):
            if isinstance(cls, type) and issubclass(cls, selectors.BaseSelector) and "select" in cls.__dict__:
                _patch(cls, "select", leaf(R.SELECT))

    def patch_socket(socket):
        for name in ("recv", "recv_into", "recvfrom", "recvfrom_into", "accept"):
            _patch(socket.socket, name, leaf(R.IO_READ))
        for name in ("send", "sendall", "sendto", "connect"):
            _patch(socket.socket, name, leaf(R.IO_WRITE))

    def patch_subprocess(subprocess):
        add_timeout_error(subprocess.TimeoutExpired)
        _patch(subprocess.Popen, "wait", leaf(R.PROCESS_WAIT, obj=_self))

    def patch_queue(queue):
        add_timeout_error(queue.Empty)
        add_timeout_error(queue.Full)
        _patch(queue.Queue, "get", scoped(R.QUEUE_GET, acquire=True))
        _patch(queue.Queue, "put", scoped(R.QUEUE_PUT, release=True, blocks=lambda a: a[0].maxsize > 0))

    def patch_futures(base):
        add_timeout_error(base.TimeoutError)
        # Whoever collects the outcome, as whoever completes the future (the release side): the
        # program, Executor.map's iterator, asyncio copying it into its own future for the
        # awaiting coroutine (_copy_future_state: exception(), then result()). result() raising
        # the job's exception got it too. The program's calls are blocking calls as they were; a
        # library's on a done future cannot block: only its SYNC_ACQUIRE is written.
        collect = lambda f: wrap(session, f, R.FUTURE_RESULT, obj=_self, acquire=True,
                                 library_blocks=lambda a: not a[0].done(),
                                 acquired_raising=lambda a: a[0].done() and not a[0].cancelled())
        _patch(base.Future, "result", collect)
        _patch(base.Future, "exception", collect)
        for name in ("set_result", "set_exception"):
            _patch(base.Future, name, lambda f: sync_release_any_caller(session, f))

    def patch_futures_thread(thread_module):
        # submit() hands the work item to a worker through a SimpleQueue (C, not patched):
        # what the submitter did before submit() happens before the work item runs.
        WorkItem = getattr(thread_module, "_WorkItem", None)
        if WorkItem is None or not hasattr(WorkItem, "run"):
            return
        orig_init, orig_run = WorkItem.__init__, WorkItem.run

        def __init__(self, future, *args, **kwargs):
            orig_init(self, future, *args, **kwargs)
            if not session.rec.closed:
                session.emit(R.SYNC_RELEASE, 0, session.current(), session.caller_site(),
                             session.rec.objects(future))

        def run(self, *args, **kwargs):
            if not session.rec.closed:
                session.emit(R.SYNC_ACQUIRE, 0, session.current(), session.caller_site(),
                             session.rec.objects(self.future))
            return orig_run(self, *args, **kwargs)

        WorkItem.__init__ = __init__
        WorkItem.run = run

    def patch_mp_process(process):
        _patch(process.BaseProcess, "join", scoped(R.PROCESS_WAIT))

    when_imported("select", patch_select)
    when_imported("selectors", patch_selectors)
    when_imported("socket", patch_socket)
    when_imported("subprocess", patch_subprocess)
    when_imported("queue", patch_queue)
    when_imported("concurrent.futures._base", patch_futures)
    when_imported("concurrent.futures.thread", patch_futures_thread)
    when_imported("multiprocessing.process", patch_mp_process)
