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
An access pair (the read and write of `x += 1`, one timestamp) is kept or dropped together.
Pushing out and the end path run under one lock (an RLock: a signal handler may end the process
while the main thread is pushing out)."""
import collections
import itertools
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


# The ring is a queue of blocks of this many records (fewer for a small tail): records are appended
# to the newest block with one C call, and pushed out a whole block at a time.
_BLOCK_RECORDS = 1024


class KeepPolicy:
    def __init__(self, limit, recorder):
        self.limit = limit
        self._rec = recorder
        self.buf = recorder.buf  # one bytearray for the process's life (emptied in place after a fork)
        self.reset()

    def reset(self):
        """A fresh budget (also in a forked child, whose lock may have been held at the fork)."""
        limit = self.limit
        self.head = limit // 2
        self.next_ticket = itertools.count().__next__
        tail = limit // 4
        self.tail_bytes = tail * _RECORD_BYTES
        self.block_bytes = max(1, min(_BLOCK_RECORDS, tail // 4)) * _RECORD_BYTES
        self.race_left = limit - self.head - tail
        self.sync_reserve = self.race_left // 4
        self.last_thread = {}  # location id -> thread index of its last access pushed out of the ring
        self.block = bytearray()
        self.blocks = collections.deque()
        self.ring_bytes = 0  # in self.blocks; the newest block is apart
        self.gap_from = None
        self.gap_to = 0
        self.gap_dropped = 0
        self.by_kind = {}
        self.closed = False
        self.lock = _thread.RLock()

    def take(self, data):
        """Keep or hold packed records (one append: one record, or an access pair).

        No lock on this path: taking a ticket and appending are single C calls, so a thread switch
        inside a tracer callback cannot make two threads share a place in the head (that kept one
        or two records over N on 3.8/3.9). Only the rotation of a full block takes the lock."""
        ticket = self.next_ticket()
        if len(data) > _RECORD_BYTES:
            ticket = self.next_ticket()
        if ticket < self.head:
            self.buf.extend(data)
            return
        block = self.block
        block += data
        if len(block) >= self.block_bytes:
            self._rotate(block)

    def _rotate(self, block):
        with self.lock:
            if block is not self.block or self.closed:  # another thread rotated it already
                return
            self.block = bytearray()
            self.blocks.append(block)
            self.ring_bytes += len(block)
            # Push out whole blocks while the rest still holds the tail. (A thread preempted
            # between reading self.block and appending to it appends to a block in the queue:
            # still in order of its timestamp, and kept unless that block has left already.)
            while self.blocks and self.ring_bytes - len(self.blocks[0]) >= self.tail_bytes:
                old = self.blocks.popleft()
                self.ring_bytes -= len(old)
                self._push_out(old)

    def _push_out(self, data):
        """Write the race-relevant records of `data` (oldest first) while their budget lasts; count
        the rest as dropped."""
        buf = self.buf
        kept = bytearray()
        last_thread = self.last_thread
        by_kind = self.by_kind
        timeline_only, ACCESS = _TIMELINE_ONLY, R.ACCESS
        pair_read = None  # (thread, ts, location) of a kept access: its pair's write is kept too
        dropped = 0
        at = 0
        for kind, _flags, thread, _a, ts, b in _RECORD.iter_unpack(data):
            keep = False
            if kind not in timeline_only:
                if kind != ACCESS:
                    keep = self.race_left > 0
                elif pair_read == (thread, ts, b):
                    keep = self.race_left > 0
                else:
                    # An access is worth keeping where another thread touched the location last:
                    # that is where races are. Accesses leave the last quarter of the budget to the
                    # lock, sync and lifecycle records that order them.
                    location = b & 0xFFFFFFFF  # the high half is the access's stack id
                    last = last_thread.get(location)
                    last_thread[location] = thread
                    keep = last != thread and self.race_left > self.sync_reserve
            if keep:
                self.race_left -= 1
                kept += data[at:at + _RECORD_BYTES]
                pair_read = (thread, ts, b) if kind == ACCESS else None
            else:
                pair_read = None
                if self.gap_from is None:
                    # Records kept before the first drop come before the GAP begin record.
                    buf.extend(kept)
                    kept = bytearray()
                    self.gap_from = ts
                    buf.extend(_RECORD.pack(R.GAP, R.GAP_BEGIN, R.NO_THREAD, self.limit, ts, 0))
                if ts > self.gap_to:
                    self.gap_to = ts
                dropped += 1
                by_kind[kind] = by_kind.get(kind, 0) + 1
            at += _RECORD_BYTES
        buf.extend(kept)
        self.gap_dropped += dropped
        self._rec.dropped[0] += dropped

    def close(self):
        """End path: the GAP end record and the tail; records after this are ignored."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            ring = b"".join(self.blocks) + self.block
            excess = len(ring) - self.tail_bytes
            if excess > 0:
                self._push_out(ring[:excess])
                ring = ring[excess:]
            rec = self._rec
            if self.gap_from is not None:
                counts = {KIND_NAMES.get(k, str(k)): v for k, v in sorted(self.by_kind.items())}
                names = rec.str_id(dumps(counts))
                rec.buf.extend(_RECORD.pack(R.GAP, R.GAP_END, R.NO_THREAD, self.gap_dropped, self.gap_to, names))
            rec.buf.extend(ring)
            self.blocks.clear()
            self.block = bytearray()
            self.ring_bytes = 0
