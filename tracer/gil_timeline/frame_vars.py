"""Reading one variable of a running function frame (race mode: the object whose attribute or
item is accessed) without keeping the frame's other locals alive.

Before 3.13, `frame.f_locals` copies every local into a dict that the frame keeps until the next
copy. An object the program then deletes (`del x`) stays reachable from that dict, so it is not
collected when the program expects it (CPython's test_threading_local.test_cycle_collection
failed under race mode on 3.11 and 3.12). 3.13's f_locals (PEP 667) is a view and copies nothing;
3.12 has PyFrame_GetVar, which reads the one variable; 3.8-3.11 have neither: there the copy
stays, and it is refreshed at the frame's next trace event (settrace does it before each event
up to 3.10; on 3.11 gil_settrace.py does it, see COPY_NEEDS_REFRESH)."""
import sys


def _get_var_312():
    try:
        import ctypes
        get_var = ctypes.pythonapi.PyFrame_GetVar
    except (ImportError, AttributeError, OSError):
        return None
    get_var.restype = ctypes.py_object  # NULL (NameError set) raises that NameError
    get_var.argtypes = (ctypes.py_object, ctypes.py_object)
    return get_var


def _from_f_locals(frame, name):
    return frame.f_locals[name]


read_var = _from_f_locals
if sys.version_info[:2] == (3, 12):
    read_var = _get_var_312() or _from_f_locals

# 3.12 inlines comprehensions (PEP 709): module and class code get hidden fast locals, which
# f_locals copies into the namespace, and a debugger's settrace then writes back with a
# "RuntimeWarning: assigning None to unbound local" (seen with pdb in race mode). There the
# tracer reads the fast ones with PyFrame_GetVar and else looks no further than the globals:
# a class attribute used as an owner in such a class body is then looked up as a global.
SHUNS_F_LOCALS = read_var is not _from_f_locals

# 3.11's settrace refreshes a frame's copy only when it was made during the same event (3.8-3.10
# refresh it before every event; 3.12+ make none here): the tracer re-reads f_locals at the next
# line event of a frame whose copy it made, which drops what was deleted or rebound since.
COPY_NEEDS_REFRESH = sys.version_info[:2] == (3, 11)
