"""The name a user would give a lock: the variable the new lock is stored in, read from the
instructions that follow the call that made it (`lock_a = threading.Lock()` -> `lock_a`,
`self.lock = threading.RLock()` -> `self.lock`). The deadlock analysis names locks with it; a lock
stored anywhere else (a list, a dict, an argument) gets no name and is named by where it was made."""
import dis

_STORE_NAME = {"STORE_NAME", "STORE_GLOBAL", "STORE_FAST", "STORE_DEREF"}
_LOAD_OWNER = {"LOAD_NAME", "LOAD_GLOBAL", "LOAD_FAST", "LOAD_DEREF", "LOAD_FAST_CHECK"}
# Instructions between a call and what consumes its result that carry no meaning here.
_FILLER = {"CACHE", "EXTENDED_ARG", "NOP", "PRECALL"}


class LockNames:
    def __init__(self):
        # id(code) -> (code, {offset of a call: name or ""}); id(): hashing a code object is slow
        self._codes = {}

    def name(self, frame):
        """Name of the lock the call at the frame's current instruction makes, or ""."""
        code, offset = frame.f_code, frame.f_lasti
        entry = self._codes.get(id(code))
        if entry is None or entry[0] is not code:
            entry = (code, {})
            self._codes[id(code)] = entry
        names = entry[1]
        found = names.get(offset)
        if found is None:
            try:
                found = _stored_as(list(dis.get_instructions(code)), offset)
            except Exception:  # a code object dis cannot read must not break the program
                found = ""
            names[offset] = found
        return found


def _stored_as(instructions, call_offset):
    after = [i for i in instructions if i.offset > call_offset and i.opname not in _FILLER][:2]
    if not after:
        return ""
    first = after[0]
    if first.opname in _STORE_NAME:
        return str(first.argval)
    if len(after) == 2 and first.opname in _LOAD_OWNER and after[1].opname == "STORE_ATTR":
        return "%s.%s" % (first.argval, after[1].argval)
    return ""
