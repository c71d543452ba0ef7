"""Which closure cell a frame's LOAD_DEREF/STORE_DEREF uses (race mode), so that each closure a
factory makes has its own locations: two counters made by one `make_counter()`, each used by one
thread, do not race; one counter shared by threads does.

Python has no API for a frame's cells (f_locals gives their contents), so the cell is read from
the frame's own slots with ctypes: 3.8-3.10 keep them in PyFrameObject.f_localsplus after the
co_nlocals locals (DEREF's oparg counts from there); 3.11+ keep them in the frame's
_PyInterpreterFrame (PyFrameObject.f_frame), whose localsplus DEREF's oparg indexes directly.
The offsets are checked once against a closure whose cell is known, comparing addresses only;
when they do not match (another build or implementation) cell_at is None and a cell variable
is one location per file and name, as documented in docs/trace-format.md."""
import sys

_INTERPRETER_FRAME_LOCALSPLUS = 72  # 8 pointers, then int + uint16/bool + char, padded (3.11-3.13)


def _readers():
    """(the addresses of a frame's cells, the object at an address, check a frame's header), or None."""
    if sys.implementation.name != "cpython":
        return None
    try:
        import ctypes
    except ImportError:
        return None
    pointer = ctypes.sizeof(ctypes.c_void_p)
    address_at = ctypes.c_void_p.from_address
    if sys.version_info >= (3, 11):
        head = object.__basicsize__  # f_back, then f_frame

        def slots(frame, code):
            # header_ok() checks f_trace (inside the frame object itself) before f_frame, which
            # points elsewhere, is ever followed.
            return address_at(id(frame) + head + pointer).value + _INTERPRETER_FRAME_LOCALSPLUS
    else:
        def slots(frame, code):
            # f_localsplus is the last field: its first item is inside __basicsize__.
            return id(frame) + type(frame).__basicsize__ - pointer + code.co_nlocals * pointer

    def addresses(frame, code, deref_args):
        # A NULL slot reads as None (c_void_p's value).
        base = slots(frame, code)
        if len(deref_args) == 1:
            return (address_at(base + deref_args[0] * pointer).value,)
        return tuple([address_at(base + arg * pointer).value for arg in deref_args])

    def object_at(address):
        return ctypes.cast(address, ctypes.py_object).value

    def header_ok(frame):
        """3.11+: f_trace where it is expected, and f_frame's frame_obj pointing back to the frame;
        addresses only, each inside memory already known to be right before the next is followed."""
        if sys.version_info < (3, 11):
            return True  # the slots are inside the frame object itself
        frame.f_trace = marker = _marker  # PyFrameObject.f_trace follows f_frame
        try:
            if address_at(id(frame) + head + 2 * pointer).value != id(marker):
                return False
        finally:
            frame.f_trace = None
        interpreter_frame = address_at(id(frame) + head + pointer).value
        frame_obj = 5 if sys.version_info < (3, 12) else 6  # _PyInterpreterFrame.frame_obj
        return address_at(interpreter_frame + frame_obj * pointer).value == id(frame)

    return addresses, object_at, header_ok


def _deref_arg(code, name):
    import dis
    for instr in dis.get_instructions(code):
        if instr.opname in ("LOAD_DEREF", "STORE_DEREF") and instr.argval == name:
            return instr.arg
    return None


def _marker(frame, event, arg):
    return None


def _verified(addresses, object_at, header_ok):
    """Does reading the slots of a running factory's frame (its cell variable) and of its running
    closure's frame (a free variable) give the closure's cell?"""
    results = []

    def check(frame, cell):
        arg = _deref_arg(frame.f_code, "probe_value")
        results.append(arg is not None and header_ok(frame)
                       and addresses(frame, frame.f_code, (arg,))[0] == id(cell))

    def factory():
        probe_value = 0

        def closure(cell):
            nonlocal probe_value
            probe_value += 1
            check(sys._getframe(), cell)

        cell = closure.__closure__[closure.__code__.co_freevars.index("probe_value")]
        check(sys._getframe(), cell)
        closure(cell)

    try:
        factory()
    except Exception:
        return False
    return results == [True, True]


def _readers_verified():
    readers = _readers()
    if readers is None or not _verified(*readers):
        return None, None
    return readers[:2]


# cell_addresses(frame, code, deref_args) -> the id()s of the cells at those DEREF opargs, and
# cell_at(address) -> the cell there; both None when the frame layout is not the one checked for.
cell_addresses, cell_at = _readers_verified()
