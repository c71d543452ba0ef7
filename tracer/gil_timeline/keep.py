"""--max-events N: which records of a long run the trace keeps (docs/trace-format.md, "Very long
runs").

The budget of N records (definitions and diagnostics are outside it) is split three ways:
- the head, the first N/2 records, written as they come;
- the tail, a ring of the last N/4 records held in memory and written when the process ends;
- the rest for records the race analysis needs (shared-state accesses, lock and sync records,
  thread and process lifecycle): when the ring pushes out its oldest record, such a record is still
  written while this budget lasts, so race points are found in the middle of a long run too. Of
  the accesses only those where the location changes thread are kept (a loop of one thread
  would spend the budget on nothing a race needs).
Every other record pushed out of the ring is dropped and counted. The first drop writes a GAP
begin record, the end path a GAP end record (last dropped time, counts by kind) and then the ring,
so the trace shows the run's beginning and its end with an explicit gap in between.

Records leave the ring oldest first, so what gets written keeps the global record order.
Everything runs under one lock: the counters are read-modify-writes that a thread switch inside a
tracer callback could otherwise interleave (on 3.8/3.9 that kept one or two records over N). An
RLock, because a signal handler may run traced code, or end the process, while the main thread
is inside take()."""
import collections
import struct
import _thread

from . import records as R
from .jsontext import dumps

_RECORD = struct.Struct("<BBHIqq")  # the fixed part of every record (recorder.py)
_RECORD_BYTES = _RECORD.size

# Kinds a gap drops first: the GIL timeline's own records. Everything else is what happens-before
# and the race analysis read, or rare enough (lifecycle, marks) to keep while the budget lasts.
_TIMELINE_ONLY = frozenset((R.RUN, R.BLOCK_ENTER, R.BLOCK_EXIT))

# Names of the kinds a gap can drop, for its counts by kind.
KIND_NAMES = {getattr(R, name): name for name in (
    "THREAD_START", "THREAD_SPAWN", "THREAD_END", "THREAD_JOINED", "EXCEPTION", "THREAD_NAME",
    "PROCESS_SPAWN", "RUN", "BLOCK_ENTER", "BLOCK_EXIT", "LOCK_ACQUIRED", "LOCK_RELEASE",
    "SYNC_RELEASE", "SYNC_ACQUIRE", "ACCESS", "MARK")}


class KeepPolicy:
    def __init__(self, limit, recorder):
        self.limit = limit
        self._rec = recorder
        self.reset()

    def reset(self):
        """A fresh budget (also in a forked child, whose lock may have been held at the fork)."""
        limit = self.limit
        self.head_left = limit // 2
        self.tail_cap = limit // 4
        self.race_left = limit - self.head_left - self.tail_cap
        self.sync_reserve = self.race_left // 4
        self.last_thread = {}  # location id -> thread index of its last access pushed out of the ring
        self.ring = collections.deque()
        self.ring_records = 0
        self.gap_from = None
        self.gap_to = 0
        self.gap_dropped = 0
        self.by_kind = {}
        self.closed = False
        self.lock = _thread.RLock()

    def take(self, data):
        """Keep, hold or drop packed records (one append: one record, or an access pair)."""
        n = len(data) // _RECORD_BYTES
        with self.lock:
            if self.closed:
                return
            if self.head_left >= n:
                self.head_left -= n
                self._rec.buf.extend(data)
                return
            self.head_left = 0
            self.ring.append(data)
            self.ring_records += n
            while self.ring_records > self.tail_cap:
                old = self.ring.popleft()
                self.ring_records -= len(old) // _RECORD_BYTES
                self._push_out(old)

    def _push_out(self, data):
        n = len(data) // _RECORD_BYTES
        kind, _flags, thread, _a, ts, location = _RECORD.unpack_from(data)
        if kind not in _TIMELINE_ONLY and self.race_left >= n:
            if kind != R.ACCESS:
                self.race_left -= n
                self._rec.buf.extend(data)
                return
            # An access is worth keeping where another thread touched the location last: that is
            # where races are. Accesses never use the last quarter of the budget, which stays for
            # the lock, sync and lifecycle records that order them.
            last = self.last_thread.get(location)
            self.last_thread[location] = thread
            if last != thread and self.race_left - n >= self.sync_reserve:
                self.race_left -= n
                self._rec.buf.extend(data)
                return
        if self.gap_from is None:
            self.gap_from = ts
            self._rec.buf.extend(_RECORD.pack(R.GAP, R.GAP_BEGIN, R.NO_THREAD, self.limit, ts, 0))
        self.gap_to = max(self.gap_to, ts)
        self.gap_dropped += n
        self.by_kind[kind] = self.by_kind.get(kind, 0) + n
        self._rec.dropped[0] += n

    def close(self):
        """End path: the GAP end record and the tail ring; records after this are ignored."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            rec = self._rec
            if self.gap_from is not None:
                counts = {KIND_NAMES.get(k, str(k)): v for k, v in sorted(self.by_kind.items())}
                names = rec.str_id(dumps(counts))
                rec.buf.extend(_RECORD.pack(R.GAP, R.GAP_END, R.NO_THREAD, self.gap_dropped, self.gap_to, names))
            for data in self.ring:
                rec.buf.extend(data)
            self.ring.clear()
            self.ring_records = 0
