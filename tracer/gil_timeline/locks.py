"""Locks made by the program (threading.Lock/RLock, _thread.allocate_lock called from code in
scope) become small proxies that record LOCK_NEW where each is made (with the variable it is
stored in: the deadlock analysis names locks with it), LOCK_ACQUIRED/LOCK_RELEASE with a stable
lock id, and BLOCK_ENTER/BLOCK_EXIT when an acquire has to wait. Locks made inside the standard
library stay raw: their waits are part of the Queue, Event... call that is recorded as a whole."""
import functools
import math
import os
import sys
import threading
import types
import _thread

from . import records as R
from .imports import when_imported
from .lock_names import LockNames


def install(session):
    rec, emit, state = session.rec, session.emit, session.state
    in_scope = session.scope.code
    getframe = sys._getframe
    raw_lock = _thread.allocate_lock
    raw_rlock = threading.RLock  # the factory (C RLock when available)
    next_lock_id = rec.objects  # a proxy gets its number from the same object-id space
    lock_names = LockNames()

    def made(lock, frame):
        if not rec.closed:
            name = lock_names.name(frame)
            emit(R.LOCK_NEW, lock._reentrant, session.current(), session.site(frame),
                 lock._gt_id + (rec.str_id(name) << 32 if name else 0))
        return lock

    class TracedLock:
        __slots__ = ("_lock", "_gt_id", "__weakref__")
        _reentrant = 0
        _make_raw = staticmethod(raw_lock)

        def __new__(cls, *args, **kwargs):
            # type(lock)(...) in the program: what the real lock type does (refuse before 3.13,
            # make a lock on 3.13: CPython's test_threading.test_disallow_instantiation).
            return cls._wrap(type(cls._make_raw())(*args, **kwargs))

        @classmethod
        def _wrap(cls, lock):
            self = object.__new__(cls)
            self._lock = lock
            self._gt_id = next_lock_id(self)
            return self

        def _acquire(self, caller, blocking, timeout):
            lock = self._lock
            if lock.acquire(False):
                if not rec.closed:
                    me = session.current()
                    emit(R.LOCK_ACQUIRED, self._reentrant, me, session.site(caller), self._gt_id)
                return True
            if not blocking:
                return False
            if rec.closed:
                return lock.acquire(True, timeout)
            me = session.current()
            site = session.site(caller)
            waits = not state.busy
            if waits:
                rec.before_block[0]()
                emit(R.BLOCK_ENTER, R.LOCK_ACQUIRE, me, site, self._gt_id)
            try:
                ok = lock.acquire(True, timeout)
            except BaseException:
                if waits:
                    emit(R.BLOCK_EXIT, R.LOCK_ACQUIRE, me, R.EXIT_RAISED, self._gt_id)
                raise
            if waits:
                emit(R.BLOCK_EXIT, R.LOCK_ACQUIRE, me, R.EXIT_OK if ok else R.EXIT_TIMEOUT, self._gt_id)
            if ok:
                emit(R.LOCK_ACQUIRED, self._reentrant, me, site, self._gt_id)
            return ok

        def acquire(self, blocking=True, timeout=-1):
            if timeout != -1:
                # The real lock's argument checks (ValueError for a timeout when not blocking or
                # below zero, OverflowError, TypeError), which the non-blocking try in _acquire
                # would skip: on a free lock of the same kind, which is taken at once.
                self._make_raw().acquire(blocking, timeout)
            return self._acquire(getframe(1), blocking, timeout)

        def __enter__(self):
            return self._acquire(getframe(1), True, -1)

        def release(self):
            self._release(getframe(1))

        def __exit__(self, *exc):
            self._release(getframe(1))

        def _release(self, caller):
            if not rec.closed:
                # Recorded before the release: after it, another thread may acquire and record first.
                emit(R.LOCK_RELEASE, 0, session.current(), session.site(caller), self._gt_id)
            self._lock.release()

        def locked(self):
            return self._lock.locked()

        def _is_owned(self):
            # threading.Condition's fallback would acquire and release to find out.
            return self._lock.locked()

        def __reduce_ex__(self, protocol):
            # As a real lock (copy and pickle): the proxy's class is named as the real type,
            # which pickle would not find again by that name.
            raise TypeError("cannot pickle '%s.%s' object" % (type(self).__module__, type(self).__qualname__))

        def _at_fork_reinit(self):
            self._lock._at_fork_reinit()

        def __repr__(self):
            return repr(self._lock)

        def __getattr__(self, name):
            # Anything else a lock has (acquire_lock, _recursion_count...) behaves as untraced.
            return getattr(self._lock, name)

    class TracedRLock(TracedLock):
        __slots__ = ()
        _reentrant = 1
        _make_raw = staticmethod(raw_rlock)

        def _is_owned(self):
            return self._lock._is_owned()

        def _release_save(self):
            if not rec.closed:
                emit(R.LOCK_RELEASE, 0, session.current(), session.site(getframe(1)), self._gt_id)
            return self._lock._release_save()

        def _acquire_restore(self, saved):
            self._lock._acquire_restore(saved)
            if not rec.closed:
                emit(R.LOCK_ACQUIRED, 1, session.current(), session.site(getframe(1)), self._gt_id)

        def _recursion_count(self):
            return self._lock._recursion_count()

    for traced in (TracedLock, TracedRLock):
        # type(lock) names the real type, as untraced (error messages and reprs show it).
        real = type(traced._make_raw())
        traced.__name__, traced.__qualname__, traced.__module__ = real.__name__, real.__qualname__, real.__module__
    Lock = _factory("Lock", threading.Lock, raw_lock, TracedLock, in_scope, made)
    RLock = _factory("RLock", threading.RLock, raw_rlock, TracedRLock, in_scope, made)

    orig_condition_init = threading.Condition.__init__

    def condition_init(self, lock=None):
        # A Condition the program makes without a lock gets a traced RLock, so that what it
        # guards shows up in the locksets like any `with lock:`.
        caller = getframe(1)
        if lock is None and in_scope(caller.f_code):
            lock = made(TracedRLock._wrap(raw_rlock()), caller)
        orig_condition_init(self, lock)

    threading.Condition.__init__ = condition_init
    threading.Lock = Lock
    threading.RLock = RLock
    _thread.allocate_lock = Lock
    if hasattr(_thread, "LockType"):
        pass  # isinstance checks against _thread.LockType keep seeing raw locks only
    when_imported("multiprocessing.synchronize", lambda module: _install_semlocks(session, module, lock_names))
    return TracedLock, TracedRLock


def _install_semlocks(session, synchronize, lock_names):
    """multiprocessing's SemLock-based locks: Lock and RLock (a Value's get_lock()) record as
    threading's (LOCK_NEW, LOCK_ACQUIRED/LOCK_RELEASE, a wait as a lock block), Semaphore and
    BoundedSemaphore as threading.Semaphore (SYNC_*, a wait as a semaphore block). Calls are
    recorded when code in scope makes them, directly or through multiprocessing's own wrappers
    (`with value:`, a Condition's lock); the program's threads are ordered by them. Between
    processes the lock ids mean nothing: a child numbers its copy of the lock anew."""
    SemLock = getattr(synchronize, "SemLock", None)
    if SemLock is None or "_make_methods" not in SemLock.__dict__ or \
            hasattr(SemLock.__init__, "__gil_timeline_original__"):
        return
    rec, emit, state = session.rec, session.emit, session.state
    in_scope = session.scope.code
    getframe = sys._getframe
    folder = os.path.dirname(synchronize.__file__)
    wrappers = frozenset(os.path.join(folder, f) for f in ("synchronize.py", "sharedctypes.py"))
    shared = os.path.join(folder, "sharedctypes.py")
    makers = frozenset(os.path.join(folder, f) for f in ("synchronize.py", "context.py")) | {shared}
    mutexes = (synchronize.Lock, synchronize.RLock)
    orig_init = SemLock.__init__

    def program_frame(frame, through):
        while frame is not None and frame.f_code.co_filename in through:
            frame = frame.f_back
        return frame if frame is not None and in_scope(frame.f_code) else None

    def __init__(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        if rec.closed or not isinstance(self, mutexes):
            return
        # Made by the program (mp.Lock(), ctx.RLock(), a Value's or an Array's lock), not inside
        # a Queue: named after the variable it is stored in as a threading lock, `v.get_lock()`
        # for the lock of a Value stored in `v`.
        maker = program_frame(getframe(1), makers)
        if maker is not None:
            reentrant = 1 if isinstance(self, synchronize.RLock) else 0
            name = lock_names.name(maker)
            frame = getframe(1)
            while frame is not maker and frame.f_code.co_filename != shared:
                frame = frame.f_back
            if name and frame is not maker:
                name += ".get_lock()"
            emit(R.LOCK_NEW, reentrant, session.current(), session.site(maker),
                 rec.objects(self) + (rec.str_id(name) << 32 if name else 0))

    def _make_methods(self):
        pass  # acquire and release are the class's recording methods below

    def acquire_as(self, caller, block, timeout):
        semlock = self._semlock
        frame = None if state.busy or rec.closed else program_frame(caller, wrappers)
        if frame is None:
            return semlock.acquire(block, timeout)
        if block and timeout is not None:
            math.isnan(timeout)  # converted as the real acquire does (its TypeError), which the try below skips
        mutex = isinstance(self, mutexes)
        me, site, number = session.current(), session.site(frame), rec.objects(self)
        ok = semlock.acquire(False)
        if not ok and block:
            kind = R.LOCK_ACQUIRE if mutex else R.SEMAPHORE
            rec.before_block[0]()
            emit(R.BLOCK_ENTER, kind, me, site, number)
            try:
                ok = semlock.acquire(True, timeout)
            except BaseException:
                emit(R.BLOCK_EXIT, kind, me, R.EXIT_RAISED, number)
                raise
            emit(R.BLOCK_EXIT, kind, me, R.EXIT_OK if ok else R.EXIT_TIMEOUT, number)
        if ok:
            if mutex:
                emit(R.LOCK_ACQUIRED, 1 if isinstance(self, synchronize.RLock) else 0, me, site, number)
            else:
                emit(R.SYNC_ACQUIRE, 0, me, site, number)
        return ok

    def release_as(self, caller, release):
        if not state.busy and not rec.closed:
            frame = program_frame(caller, wrappers)
            if frame is not None:
                # Before the release: after it, another thread may acquire and record first.
                emit(R.LOCK_RELEASE if isinstance(self, mutexes) else R.SYNC_RELEASE, 0,
                     session.current(), session.site(frame), rec.objects(self))
        return release()

    def acquire(self, block=True, timeout=None):
        return acquire_as(self, getframe(1), block, timeout)

    def release(self):
        return release_as(self, getframe(1), self._semlock.release)

    def __enter__(self):
        return acquire_as(self, getframe(1), True, None)

    def __exit__(self, *args):
        return release_as(self, getframe(1), lambda: self._semlock.__exit__(*args))

    __init__.__gil_timeline_original__ = orig_init
    for name, method in (("__init__", __init__), ("_make_methods", _make_methods), ("acquire", acquire),
                         ("release", release), ("__enter__", __enter__), ("__exit__", __exit__)):
        original = SemLock.__dict__.get(name)
        if original is not None:
            functools.update_wrapper(method, original)
        setattr(SemLock, name, method)


class _LockFactory(type):
    """The type of the replacements of threading.Lock/RLock: calling one makes a lock (traced or
    raw), and isinstance() accepts both kinds, as it accepts real locks on 3.13 where
    threading.Lock is a class."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._kinds)


def _factory(public_name, original, make_raw, traced, in_scope, made):
    getframe = sys._getframe

    def __new__(cls, *args, **kwargs):
        lock = make_raw(*args, **kwargs)
        # The caller (type.__call__ has no Python frame): only locks the program makes are traced.
        caller = getframe(1)
        return made(traced._wrap(lock), caller) if in_scope(caller.f_code) else lock

    def __init_subclass__(cls, **kwargs):
        # `class MyLock(threading.Lock)` fails as it does untraced (the original is a function,
        # or on 3.13 a type that allows no subclass: CPython's test_lock_no_subclass).
        types.new_class(cls.__name__, (original,))

    kinds = (type(make_raw()), traced)
    # Named as the original where that name leads back to the factory, as pickle checks when
    # it saves one by reference (multiprocessing's SyncManager registry holds threading.Lock):
    # _thread.allocate_lock and threading.RLock are replaced too; 3.13's class _thread.lock
    # stays, so there the factory is threading.Lock (its __name__ still the original's).
    if isinstance(original, type):
        module, qualname = "threading", public_name
    else:
        module, qualname = original.__module__, original.__qualname__
    return _LockFactory(original.__name__, (), {"__new__": __new__, "_kinds": kinds, "__module__": module,
                                                "__qualname__": qualname, "__init_subclass__": __init_subclass__})
