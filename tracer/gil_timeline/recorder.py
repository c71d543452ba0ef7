"""The per-process trace buffer and the trace file (docs/trace-format.md).

Every thread appends whole records to ONE bytearray with one C-level call while it holds
the GIL, so the position in the buffer is the global order of events. The buffer is written
out as CRC-checked chunks (never per event) by a hidden flusher thread and at every exit.

A forked child starts without the flusher thread (a program that counts its threads after fork,
as CPython's test_threading does, must count what it counts untraced) and starts it once it needs
one: when a second thread of the child writes a record (the program started a thread), or when
the child is about to wait (a blocking call: the program's `before_block` checkpoint) after it has
run for a flush interval. Both are checked off the hot paths: `wake` runs only on a change of
recording thread, `before_block` only before a call that can block. Until then every way out
still writes the child's events (exits.py); only a kill the tracer cannot see (SIGKILL, a crash)
of a child that never blocked nor started a thread loses them."""
import itertools
import os
import struct
import time
import weakref
import zlib
import _thread

from . import records as R
from .jsontext import dumps
from .keep import KeepPolicy

_RECORD = struct.Struct("<BBHIqq")
# ACCESS records around their timestamp: one, or a read and its write sharing one timestamp.
_ONE_ACCESS = struct.Struct("<8sq8s")
_TWO_ACCESSES = struct.Struct("<8sq16sq8s")
_CHUNK = struct.Struct("<4sBBHIIII")
_FILE_HEADER = b"GILTRACE" + struct.pack("<HHI", 1, 0, 0)

# Captured before any patching: the tracer's own waits must never be recorded.
_sleep = time.sleep
_perf_ns = time.perf_counter_ns


def access_template(entry, index, stack):
    """The constant bytes of an access's ACCESS record(s) around the timestamp, for
    Recorder.access_writer: entry is (flags, site, location), or a read's then its write's
    (races.Pair); stack a stack_id() result, carried in the location's high half."""
    records = [_RECORD.pack(R.ACCESS, entry[i], index, entry[i + 1], 0, entry[i + 2] + stack)
               for i in range(0, len(entry), 3)]
    if len(records) == 1:
        return records[0][:8], records[0][16:], None
    return records[0][:8], records[0][16:] + records[1][:8], records[1][16:]


def _pad8(data, fill=b"\0"):
    extra = -len(data) % 8
    return data + fill * extra if extra else data


def json_payload(obj):
    return _pad8(dumps(obj).encode("utf-8"), b" ")


class Recorder:
    """Owns the buffer, the id spaces and the trace file descriptor of one process."""

    def __init__(self, path, create, max_events, flush_ms, process_info, flusher=True):
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_TRUNC if create else 0)
        self.fd = os.open(path, flags, 0o644)
        if create:
            os.write(self.fd, _FILE_HEADER)
        self.buf = bytearray()
        # None: no event limit, and then no per-record counting on hot paths (the number of
        # records is derived from the bytes written).
        self.limit = max_events if max_events and max_events > 0 else None
        self.keep = KeepPolicy(self.limit, self) if self.limit is not None else None
        self.flush_s = max(flush_ms, 1) / 1000.0
        self._process_info = process_info
        # One-element lists: cells the hot closures share without attribute lookups.
        self.last = [R.NO_THREAD]
        self.dropped = [0]
        self.wake = [_noop]
        # Called (no arguments) before a call that can block; see start_flusher_lazily.
        self.before_block = [_noop0]
        self.flusher_running = False  # in this process: fork_warning counts it
        self._base_wake = None
        self.process_chunk_due = False
        self.emit = self._make_emit()
        self._reset_process_state()
        self._write_chunk(R.CHUNK_PROCESS, json_payload(process_info()))
        if flusher:  # else the caller calls start_flusher_lazily once tracking is installed
            self.start_flusher()

    def _reset_process_state(self):
        self.pid = os.getpid()
        self.seq = 0
        self.closed = False
        self.event_bytes = 0
        self.definition_bytes = 0
        self.reported_drops = 0
        # RLock: a signal handler may flush while the interrupted main thread is flushing.
        self.io_lock = _thread.RLock()
        self.strings = {}
        self.codes = {}
        self.sites = {}
        self.locations = {}
        self.stacks = {}
        self.next_str = itertools.count(1).__next__
        self.next_code = itertools.count(1).__next__
        self.next_site = itertools.count(1).__next__
        self.next_location = itertools.count(1).__next__
        self.next_stack = itertools.count(1).__next__
        self.objects = ObjectIds()

    def access_parts(self):
        """What writing an access's ACCESS record(s) (access_template) takes, for hot paths that
        do it inline (settrace_accesses.py): as emit does, but the constant bytes are packed once
        per site, thread and short stack, so each access packs one number, its timestamp."""
        return {"now": _perf_ns, "last": self.last, "wake": self.wake, "put": self._put(),
                "one": _ONE_ACCESS.pack, "two": _TWO_ACCESSES.pack}

    def access_writer(self):
        """write(index, template): the ACCESS record(s) of one access with a fresh timestamp."""
        p = self.access_parts()
        now, last, wake, put, one, two = p["now"], p["last"], p["wake"], p["put"], p["one"], p["two"]

        def write(index, template):
            if index != last[0]:
                last[0] = index
                wake[0](index)
            head, middle, tail = template
            t = now()
            put(one(head, t, middle) if tail is None else two(head, t, middle, t, tail))

        return write

    def _put(self):
        """Without a limit a record goes straight into the buffer; with one, to the keep policy."""
        return self.buf.extend if self.keep is None else self.keep.take

    def _make_emit(self):
        put = self._put()
        pack = _RECORD.pack
        now = _perf_ns
        last, wake = self.last, self.wake

        def emit(kind, flags, thread, a, b):
            if thread != last[0]:
                last[0] = thread
                wake[0](thread)
            put(pack(kind, flags, thread, a, now(), b))

        return emit

    # -- definitions: written before the id is published, so no thread can use an id
    #    whose definition is not already earlier in the buffer.
    def define(self, kind, flags, a, ts, b, tail=b""):
        data = _RECORD.pack(kind, flags, R.NO_THREAD, a, ts, b) + tail
        self.definition_bytes += len(data)
        self.buf.extend(data)

    def str_id(self, text):
        sid = self.strings.get(text)
        if sid is None:
            sid = self.next_str()
            data = text.encode("utf-8", "surrogatepass")
            self.define(R.STR, 0, sid, 0, len(data), _pad8(data))
            self.strings[text] = sid
        return sid

    def code_id(self, code):
        # Keyed by id() (hashing a code object is slow); the entry keeps the code alive.
        entry = self.codes.get(id(code))
        if entry is not None and entry[0] is code:
            return entry[1]
        cid = self.next_code()
        name = getattr(code, "co_qualname", code.co_name)
        self.define(R.CODE, 0, cid, code.co_firstlineno,
                    self.str_id(code.co_filename) + (self.str_id(name) << 32))
        self.codes[id(code)] = (code, cid)
        return cid

    def site_id(self, code, offset, line, opname=None):
        # id(code) is stable here: a site's code is kept alive by self.codes.
        key = (id(code), offset)
        sid = self.sites.get(key)
        if sid is None:
            code_id = self.code_id(code)
            sid = self.next_site()
            op = self.str_id(opname) if opname else 0
            self.define(R.SITE, 0, sid, code_id + ((line or 0) << 32), max(offset, 0) + (op << 32))
            self.sites[key] = sid
        return sid

    def frame_site(self, frame):
        # f_lineno searches the line table (3.10+ outside tracing): only for a site not seen yet.
        code, offset = frame.f_code, frame.f_lasti
        sid = self.sites.get((id(code), offset))
        return sid if sid is not None else self.site_id(code, offset, frame.f_lineno)

    def stack_id(self, sites):
        """A short stack (up to STACK_DEPTH caller site ids, innermost first) as its STACK id
        shifted to where ACCESS records carry it (`b`'s high half); 0 for no caller."""
        if not sites:
            return 0
        bits = self.stacks.get(sites)
        if bits is None:
            sid = self.next_stack()
            third = sites[2] if len(sites) > 2 else 0
            second = sites[1] if len(sites) > 1 else 0
            self.define(R.STACK, len(sites), sid, third, sites[0] + (second << 32))
            bits = self.stacks[sites] = sid << R.STACK_SHIFT
        return bits

    def location_id(self, kind, owner, key, display):
        """`key` tells locations of one owner apart (attribute name, key repr); the first
        `display` seen names the location (`counter`, `self.balance`, `counts[word]`)."""
        full = (kind, owner, key)
        lid = self.locations.get(full)
        if lid is None:
            lid = self.next_location()
            self.define(R.LOC, kind, lid, owner, self.str_id(display))
            self.locations[full] = lid
        return lid

    # -- output
    def _write_chunk(self, kind, payload):
        header = _CHUNK.pack(b"GTCK", kind, 0, 0, self.pid, len(payload),
                             zlib.crc32(payload) & 0xFFFFFFFF, self.seq)
        self.seq += 1
        data = header + payload
        written = os.write(self.fd, data)
        while written < len(data):  # only on a full disk or a signal; keep the rest
            written += os.write(self.fd, data[written:])

    def _flush_locked(self):
        if self.process_chunk_due:
            self.process_chunk_due = False
            self._write_chunk(R.CHUNK_PROCESS, json_payload(self._process_info()))
        # dropped[0] += n is a read-modify-write that 3.8/3.9 can preempt, so the counter can even
        # step back; count only growth, never pack a negative number.
        drops = self.dropped[0] - self.reported_drops
        if drops > 0:
            self.reported_drops += drops
            self.buf.extend(_RECORD.pack(R.DROPPED, 0, R.NO_THREAD, drops, _perf_ns(), 0))
        n = len(self.buf)
        if n:
            data = self.buf[:n]
            del self.buf[:n]
            self.event_bytes += n
            self._write_chunk(R.CHUNK_EVENTS, data)

    def flush(self):
        with self.io_lock:
            if not self.closed:
                self._flush_locked()

    def finish(self, end_info):
        """Write the last events and the process-end chunk; later records are ignored."""
        with self.io_lock:
            if self.closed:
                return
            if self.keep is not None:
                self.keep.close()
            self._flush_locked()
            info = dict(end_info)
            records = (self.event_bytes - self.definition_bytes) // _RECORD.size
            # What the DROPPED records add up to, so the end chunk and the records agree.
            info.update(endNs=_perf_ns(), records=records, dropped=self.reported_drops)
            self._write_chunk(R.CHUNK_END, json_payload(info))
            self.closed = True

    def start_flusher(self):
        self.flusher_running = True
        _thread.start_new_thread(self._flush_loop, (self.pid,))

    def _flush_loop(self, pid):
        try:
            while not self.closed and self.pid == pid:
                _sleep(self.flush_s)
                try:
                    self.flush()
                except OSError as exc:
                    warn("cannot write the trace: %s" % exc)
                    return
        finally:
            if self.pid == pid:
                self.flusher_running = False

    def start_flusher_lazily(self, main_thread):
        """No flusher thread yet (a forked child): start it when a thread other than
        `main_thread` (this process's only thread so far) writes a record, or before a blocking
        call once a flush interval has passed since now."""
        if self._base_wake is None:
            self._base_wake = self.wake[0]  # the tracking module's (gil_settrace.py) or _noop
        base_wake = self._base_wake
        due = _perf_ns() + int(self.flush_s * 1e9)
        # Popped once: two threads cannot both start it (list.pop is one C call).
        pending = [self.start_flusher]

        def start():
            try:
                start_it = pending.pop()
            except IndexError:
                return
            self.wake[0] = base_wake
            self.before_block[0] = _noop0
            try:
                start_it()
            except Exception:
                # RuntimeError at interpreter shutdown (a blocking call in an atexit handler), or
                # no more threads: the program's call must not fail; the exit path writes the rest.
                self.flusher_running = False

        def wake(thread):
            if thread != main_thread:
                start()
            base_wake(thread)

        def before_block():
            if _perf_ns() >= due:
                start()

        self.wake[0] = wake
        self.before_block[0] = before_block

    def after_fork_in_child(self, main_thread):
        """A forked child starts its own pid's chunk sequence with its own definitions. Its
        process chunk is written with its first events, once multiprocessing has said how it
        was started."""
        del self.buf[:]
        if self.keep is not None:
            self.keep.reset()
        self.dropped[0] = 0
        self.last[0] = R.NO_THREAD
        self._reset_process_state()
        self.process_chunk_due = True
        self.flusher_running = False
        self.start_flusher_lazily(main_thread)


class ObjectIds:
    """Numbers for objects (locks, queues, owners of attributes and items), assigned on first
    sight. A weak reference (or, for objects that cannot have one, a strong one) is kept next
    to the number so that an object reusing a dead object's id() gets a new number."""

    STRONG_LIMIT = 100_000
    _WEAK, _STRONG, _ID_ONLY = 0, 1, 2

    def __init__(self):
        self._map = {}
        self._next = itertools.count(1).__next__
        self._strong = 0

    def keeps_alive(self):
        """Is every object numbered so far without a weak reference still kept alive (so its
        id() cannot have been reused)?"""
        return self._strong < self.STRONG_LIMIT

    def __call__(self, obj):
        key = id(obj)
        entry = self._map.get(key)
        if entry is not None:
            holder, how, number = entry
            if how == self._ID_ONLY or (holder() if how == self._WEAK else holder) is obj:
                return number
        number = self._next()
        try:
            self._map[key] = (weakref.ref(obj), self._WEAK, number)
        except TypeError:
            if self._strong < self.STRONG_LIMIT:
                self._strong += 1
                self._map[key] = (obj, self._STRONG, number)
            else:  # past the limit a reused id() may merge two objects: bounded memory wins
                self._map[key] = (None, self._ID_ONLY, number)
        return number


def _noop(thread):
    pass


def _noop0():
    pass


def warn(message):
    try:
        os.write(2, ("gil-timeline: %s\n" % message).encode("utf-8", "replace"))
    except OSError:
        pass
