"""The syscall sampler: a separate process (Linux only) that reads /proc/PID/task/TID/syscall of the
traced process about every millisecond and appends what each thread was waiting in to the trace as
"samples" chunks (docs/trace-format.md, chunk kind 4).

Why: a thread's callback can only record BLOCK_EXIT once it holds the GIL again, so the time a thread
spends waiting for the GIL after a sleep, an I/O call or a lock is hidden inside its "blocked" bar.
The kernel knows better: a thread back from its sleep waits in futex() on the GIL's condition variable.
This process has no GIL in common with the program, so sampling does not change its schedule.

Run by the tracer (sampling.py) as `python -I -S sampler.py PID TRACE INTERVAL_US`, with a pipe on stdin
that the traced process holds open: end of file on stdin, or PID gone, ends it after a last write. It
forks once and the first process exits at once, so the sampler is not a child of the traced program
(a program's os.wait() must not find it); it holds its stdout, a second pipe, open until its last write
is done, which is how the traced process knows when the samples are complete.
Standalone on purpose: it imports nothing from the package, so it starts in a few milliseconds.
Records only changes: (time, thread id, syscall number, first argument) when a thread's state changes.
"""
import os
import select
import signal
import struct
import sys
import time
import zlib

CHUNK = struct.Struct("<4sBBHIIII")
CHUNK_SAMPLES = 4
PREFIX = struct.Struct("<II")  # sampled pid, machine (1 x86_64, 2 aarch64, 0 other)
SAMPLE = struct.Struct("<qIiQ")  # perf_counter_ns, native thread id, syscall number, first argument
RUNNING = -1  # the thread was running (in user space or the kernel), not in a system call
MACHINES = {"x86_64": 1, "aarch64": 2}
FLUSH_NS = 100 * 1000 * 1000


def read_state(path):
    """(syscall number, first argument) from a /proc/.../syscall line, or None if unreadable."""
    try:
        with open(path, "rb") as f:
            fields = f.read().split()
    except OSError:
        return None
    if not fields:
        return None
    if fields[0] == b"running":
        return RUNNING, 0
    try:
        number = int(fields[0])
        first = int(fields[1], 16) if number >= 0 and len(fields) > 1 else 0
    except ValueError:
        return None
    return number, first


class ChunkWriter:
    """Appends whole chunks with one write() each, like every other writer of the file."""

    def __init__(self, path, sampled_pid):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        self.seq = 0
        self.pid = os.getpid()
        self.prefix = PREFIX.pack(sampled_pid, MACHINES.get(os.uname().machine, 0))

    def write(self, samples):
        if not samples:
            return
        payload = self.prefix + b"".join(samples)
        header = CHUNK.pack(b"GTCK", CHUNK_SAMPLES, 0, 0, self.pid, len(payload),
                            zlib.crc32(payload) & 0xFFFFFFFF, self.seq)
        os.write(self.fd, header + payload)
        self.seq += 1


class Stop(Exception):
    """SIGTERM (a timeout or Cancel kills the whole process tree): write what was sampled, then end."""


def _raise_stop(signum, frame):
    raise Stop()


def sample(pid, path, interval_s, stop_fd):
    writer = ChunkWriter(path, pid)
    task_dir = "/proc/%d/task" % pid
    last = {}  # native thread id -> (number, first)
    samples = []
    pack = SAMPLE.pack
    next_flush = time.perf_counter_ns() + FLUSH_NS
    try:
        while True:
            try:
                tids = os.listdir(task_dir)
            except OSError:
                break  # the process is gone
            now = time.perf_counter_ns()
            for name in tids:
                state = read_state("%s/%s/syscall" % (task_dir, name))
                if state is not None and last.get(name) != state:
                    last[name] = state
                    samples.append(pack(now, int(name), state[0], state[1]))
            if now >= next_flush:
                writer.write(samples)
                samples = []
                next_flush = now + FLUSH_NS
            if select.select([stop_fd], [], [], interval_s)[0]:
                break  # end of file: the traced process finished (or died)
    except Stop:
        pass
    finally:
        writer.write(samples)


def main(argv):
    pid, path, interval_us = int(argv[0]), argv[1], int(argv[2])
    if os.fork() > 0:
        os._exit(0)  # the traced process reaps this one at once; the sampler lives on as a grandchild
    # Our pid, so the traced process can let us read its threads where Yama allows only ancestors.
    os.write(1, b"%d\n" % os.getpid())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the program's; the pipe tells us when to stop
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        sample(pid, path, interval_us / 1e6, sys.stdin.fileno())
    except OSError:
        pass  # never a message in the program's output: missing samples only cost precision
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
