"""Starts the syscall sampler (sampler.py) beside the traced process on Linux, and stops it at exit.

Spawned with os.posix_spawn rather than subprocess so the program's own subprocess hooks never see it,
and it forks away from us at once so the program's os.wait() never finds it. Two pipes: its stdin, whose
write end only this process holds (fork children close their copy), ends it when the trace ends however
the process goes; its stdout, which it holds until its last write, tells us the samples are complete."""
import os
import select
import sys
import time

SAMPLER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sampler.py")
STOP_WAIT_S = 2.0


def start(out, interval_us):
    """Returns a function that stops the sampler after its last write, or None when not sampling."""
    if interval_us <= 0 or not sys.platform.startswith("linux") or not os.path.isdir("/proc/self/task"):
        return None
    owner = os.getpid()
    stop_read, stop_write = os.pipe()
    done_read, done_write = os.pipe()
    argv = [sys.executable, "-I", "-S", SAMPLER, str(owner), os.path.abspath(out), str(interval_us)]
    actions = [
        (os.POSIX_SPAWN_DUP2, stop_read, 0),
        (os.POSIX_SPAWN_DUP2, done_write, 1),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    try:
        pid = os.posix_spawn(sys.executable, argv, os.environ, file_actions=actions)
        os.waitpid(pid, 0)  # it forks and exits at once; its child samples
    except OSError:
        for fd in (stop_write, done_read):
            os.close(fd)
        return None
    finally:
        for fd in (stop_read, done_write):
            os.close(fd)
    _allow_reading_by(_read_pid(done_read))
    # Closed once per process: after that their numbers may belong to something else.
    held = [stop_write, done_read]

    def close_held():
        while held:
            try:
                os.close(held.pop())
            except OSError:
                pass

    os.register_at_fork(after_in_child=close_held)

    def stop():
        if os.getpid() != owner or not held:
            return
        try:
            os.close(held.pop(0))  # end of file on its stdin: it writes its last samples and exits
        except OSError:
            pass  # the program closed it (a daemonizing close of every descriptor): it ended then
        _wait_for_eof(held[0])
        close_held()

    return stop


def _read_pid(fd):
    """The sampler's first line on its stdout is its pid; None if it did not come within a second."""
    data = b""
    deadline = time.monotonic() + 1.0
    try:
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 32)
            if not chunk:
                return None
            data += chunk
        return int(data)
    except (OSError, ValueError):
        return None


def _allow_reading_by(pid):
    """Where Yama's ptrace_scope is 1 (Ubuntu and others), only an ancestor may read a process's
    /proc/PID/task/TID/syscall; name the sampler as the one other process that may (PR_SET_PTRACER)."""
    try:
        with open("/proc/sys/kernel/yama/ptrace_scope") as f:
            if f.read().strip() != "1" or pid is None:
                return
        import ctypes  # only on such machines
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(0x59616D61, pid, 0, 0, 0)  # PR_SET_PTRACER
    except (OSError, ValueError, AttributeError):
        pass  # no Yama, or no way to ask: the sampler then sees nothing, and the bars stay as recorded


def _wait_for_eof(fd):
    deadline = time.monotonic() + STOP_WAIT_S
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or (select.select([fd], [], [], left)[0] and not os.read(fd, 512)):
                return
    except (OSError, ValueError):
        pass
