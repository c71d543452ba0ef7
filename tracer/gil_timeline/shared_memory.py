"""One name for a multiprocessing.Value or Array in every process of a run, however it was started.

Its ctypes address is the same in forked children only; spawn and forkserver children map the
same heap arena (a file) at another address. The arena's file (device, inode) and the block's
offset in it are the same everywhere."""
import os

_MASK = (1 << 53) - 1  # the trace's numbers fit in 53 bits


def shared_memory_id(obj):
    """A non-zero number for the shared memory under a sharedctypes object, or 0 if it has none."""
    try:
        (arena, start, _stop), _size = obj._wrapper._state
        st = os.fstat(arena.fd)
    except Exception:  # not heap-backed (or an arena without a file): the address is the best name
        return _address(obj)
    number = ((st.st_dev * 1_000_003 + st.st_ino) * 1_000_003 + start) & _MASK
    return number or 1


def _address(obj):
    try:
        import ctypes
        return ctypes.addressof(obj)
    except Exception:
        return 0
