"""Python 3.12+ warns at os.fork() when the process has more than one OS thread ("This process
(pid=N) is multi-threaded, use of fork() may lead to deadlocks in the child"). The tracer's hidden
flusher thread (always there in the launched process; in a fork child only once it needs it, see
recorder.py) would give every traced program that forks that warning on stderr when the
untraced one does not get it; so before a fork where the program's own threads alone would not
warn, the warning is ignored for this pid.

The filter stays until the next fork (or the child starts): 3.12.1 warns only after the
after-fork-in-parent hooks have run (3.13 before them), so it cannot be removed there; and only a
fork of this pid emits this message, so keeping it until the next fork hides nothing else."""
import os
import sys
import warnings


def _os_threads():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None  # not Linux: CPython then counts threading's threads, which excludes ours


def install(tracer_threads):
    """tracer_threads(): how many OS threads of this process are the tracer's."""
    if sys.version_info < (3, 12):
        return
    installed = []

    def remove():
        while installed:
            item = installed.pop()
            if item in warnings.filters:
                warnings.filters.remove(item)
                warnings._filters_mutated()

    def before():
        remove()
        count = _os_threads()
        if count is None or count - tracer_threads() > 1:
            return  # the untraced program would be warned too
        message = r"This process \(pid=%d\) is multi-threaded, use of fork\(\)" % os.getpid()
        warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        installed.append(warnings.filters[0])

    os.register_at_fork(before=before, after_in_child=remove)
