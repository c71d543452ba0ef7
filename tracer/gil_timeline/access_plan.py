"""The `dis` pre-scan of a code object in scope: which instruction offsets read or write shared
state (globals, closure cells, attributes, container items), and how to find the owner object
and key at run time from the frame. Offsets not in the plan are never recorded (sys.monitoring
gets DISABLE there)."""
import dis

from . import records as R
from .jsontext import dumps
from .shared_names import names_of

GLOBAL_OPS = {"LOAD_GLOBAL": False, "STORE_GLOBAL": True}
NAME_OPS = {"LOAD_NAME": False, "STORE_NAME": True}
CELL_OPS = {"LOAD_DEREF": False, "STORE_DEREF": True, "LOAD_CLASSDEREF": False}
FAST_LOADS = {"LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_DEREF", "LOAD_CLASSDEREF"}
DUPS = {"DUP_TOP", "DUP_TOP_TWO", "COPY"}
SHUFFLES = {"ROT_TWO", "ROT_THREE", "ROT_FOUR", "SWAP"}


class Static:
    """A global or cell: the location is known before running (a cell's up to which cell the
    frame holds at deref_arg, DEREF's oparg: cells.py)."""
    __slots__ = ("kind", "key", "display", "deref_arg")

    def __init__(self, kind, key, display, deref_arg=None):
        self.kind, self.key, self.display, self.deref_arg = kind, key, display, deref_arg


class Expr:
    """How to get a value from a frame: a base load then attribute loads."""
    __slots__ = ("base", "name", "attrs", "text")

    def __init__(self, base, name, attrs=()):
        self.base, self.name, self.attrs = base, name, tuple(attrs)
        self.text = (repr(name) if base == "const" else name) + "".join("." + a for a in self.attrs)


class Dynamic:
    """An attribute (owner expr + name) or an item (container expr + key expr)."""
    __slots__ = ("kind", "owner", "attr", "key")

    def __init__(self, kind, owner, attr=None, key=None):
        self.kind, self.owner, self.attr, self.key = kind, owner, attr, key

    @property
    def display(self):
        if self.kind == R.LOC_ATTR:
            return "%s.%s" % (self.owner.text, self.attr)
        return "%s[%s]" % (self.owner.text, self.key.text)


class Access:
    __slots__ = ("offset", "line", "opname", "write", "rmw", "target")

    def __init__(self, offset, line, opname, write, rmw, target):
        self.offset, self.line, self.opname = offset, line, opname
        self.write, self.rmw, self.target = write, rmw, target

    @property
    def flags(self):
        return (R.ACCESS_WRITE if self.write else 0) | (R.ACCESS_RMW if self.rmw else 0)


def _line(instr, current):
    line = getattr(instr, "line_number", None)  # 3.13
    if line is None:
        line = instr.starts_line if isinstance(instr.starts_line, int) and not isinstance(instr.starts_line, bool) else None
    return line if line else current


def _simple(instr):
    op = instr.opname
    if op in FAST_LOADS:
        return Expr("fast", instr.argval)
    if op == "LOAD_GLOBAL":
        return Expr("global", instr.argval)
    if op == "LOAD_NAME":
        return Expr("name", instr.argval)
    if op == "LOAD_CONST" and isinstance(instr.argval, (int, str, bytes, float)):
        return Expr("const", instr.argval)
    return None


def _is_method_load(instr):
    # 3.12+: LOAD_ATTR with the low bit set loads a method for a call (`obj.m()`).
    return instr.opname == "LOAD_ATTR" and "NULL|self" in (instr.argrepr or "")


def _expr_ending_at(instrs, i):
    """The owner expression whose value instrs[i] leaves on the stack, or None."""
    chain = []
    while i >= 0 and instrs[i].opname == "LOAD_ATTR" and not _is_method_load(instrs[i]) and len(chain) < 3:
        chain.append(instrs[i].argval)
        i -= 1
    if i < 0:
        return None
    base = _simple(instrs[i])
    if base is None:
        return None
    return Expr(base.base, base.name, reversed(chain))


def _pair_ending_at(instrs, i):
    """(container, key) expressions left by instrs[..i], or None."""
    last = instrs[i]
    if last.opname == "LOAD_FAST_LOAD_FAST":  # 3.13: two locals in one instruction
        names = last.argval if isinstance(last.argval, tuple) else tuple(str(last.argrepr).split(", "))
        return (Expr("fast", names[0]), Expr("fast", names[1])) if len(names) == 2 else None
    key = _simple(last)
    if key is None or i == 0:
        return None
    container = _expr_ending_at(instrs, i - 1)
    return (container, key) if container is not None else None


def _skip_back(instrs, i, ops):
    while i >= 0 and (instrs[i].opname in ops):
        i -= 1
    return i


def _rmw_lines(instrs, lines):
    out = set()
    for instr, line in zip(instrs, lines):
        if instr.opname.startswith("INPLACE_") or (instr.opname == "BINARY_OP" and str(instr.argrepr).endswith("=")):
            out.add(line)
    return out


def _cell_display(code, name, names):
    """`hits in make_counter`: a cell variable by the function that defines it (the closures it
    makes share it), so same-named cells of different functions are told apart."""
    definer = code.co_name if name in code.co_cellvars else (names.definer(code, name) if names else None)
    return "%s in %s" % (name, definer) if definer else name


def build(code):
    """The access plan of `code`: {offset: Access} (empty when nothing shared is touched)."""
    names = names_of(code.co_filename)
    data_globals = names.globals if names is not None else None
    data_cells = names.cells if names is not None else None
    module_level = code.co_name == "<module>"
    instrs = [i for i in dis.get_instructions(code) if i.opname != "CACHE"]
    lines, line = [], code.co_firstlineno
    for instr in instrs:
        line = _line(instr, line)
        lines.append(line)
    rmw_lines = _rmw_lines(instrs, lines)
    plan = {}
    last_item = {}  # line -> (container, key) of its latest BINARY_SUBSCR, for `x[k] += 1`
    last_attr = {}  # (line, attr) -> owner expr of its latest LOAD_ATTR, for `o.a += 1`
    for i, instr in enumerate(instrs):
        op, line = instr.opname, lines[i]
        target, write = None, False
        if op in GLOBAL_OPS or (module_level and op in NAME_OPS):
            name = instr.argval
            if data_globals is None or name in data_globals:
                write = GLOBAL_OPS.get(op, NAME_OPS.get(op))
                target = Static(R.LOC_GLOBAL, (code.co_filename, name), name)
        elif op in CELL_OPS:
            name = instr.argval
            if data_cells is None or name in data_cells:
                write = CELL_OPS[op]
                display = _cell_display(code, name, names)
                target = Static(R.LOC_CELL, (code.co_filename, display), display, instr.arg)
        elif op == "LOAD_ATTR" and not _is_method_load(instr):
            owner = _expr_ending_at(instrs, _skip_back(instrs, i - 1, DUPS))
            if owner is not None:
                last_attr[(line, instr.argval)] = owner
                target = Dynamic(R.LOC_ATTR, owner, attr=instr.argval)
        elif op == "STORE_ATTR":
            prev = i - 1
            owner = None
            if prev >= 0 and instrs[prev].opname in SHUFFLES:
                owner = last_attr.get((line, instr.argval))
            elif prev >= 0:
                owner = _expr_ending_at(instrs, prev)
            if owner is not None:
                write = True
                target = Dynamic(R.LOC_ATTR, owner, attr=instr.argval)
        elif op == "BINARY_SUBSCR":
            pair = _pair_ending_at(instrs, _skip_back(instrs, i - 1, DUPS)) if i > 0 else None
            if pair is not None:
                last_item[line] = pair
                target = Dynamic(R.LOC_ITEM, pair[0], key=pair[1])
        elif op == "STORE_SUBSCR":
            prev = i - 1
            pair = None
            if prev >= 0 and instrs[prev].opname in SHUFFLES:
                pair = last_item.get(line)
            elif prev >= 0:
                pair = _pair_ending_at(instrs, prev)
            if pair is not None:
                write = True
                target = Dynamic(R.LOC_ITEM, pair[0], key=pair[1])
        if target is not None:
            plan[instr.offset] = Access(instr.offset, line, op, write, line in rmw_lines, target)
    return plan, instrs, lines


def dis_json(instrs, lines):
    return dumps([[i.offset, i.opname, str(i.argrepr), line or 0] for i, line in zip(instrs, lines)])


# Instructions that cannot switch threads, raise for plain values, or run Python code on
# 3.10+ (no eval-breaker check, no call): a read and a write with only these between them
# happen back to back on the untraced interpreter too.
_STRAIGHT = {
    "LOAD_CONST", "LOAD_SMALL_INT", "LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_LOAD_FAST",
    "STORE_FAST", "BINARY_OP", "COPY", "SWAP", "NOP", "EXTENDED_ARG",
    "UNARY_NEGATIVE", "UNARY_NOT", "UNARY_INVERT",
    # 3.10/3.11 spellings (3.10 checks the eval breaker at calls and jumps, not at these)
    "DUP_TOP", "DUP_TOP_TWO", "ROT_TWO", "ROT_THREE", "ROT_FOUR", "PRECALL_NOP",
}


def _straight(opname):
    return opname in _STRAIGHT or (
        (opname.startswith("INPLACE_") or opname.startswith("BINARY_")) and opname != "BINARY_SUBSCR")


def straight_pairs(plan, instrs):
    """{read offset: write offset} for reads of a global or cell followed by a write of the same
    location with nothing between that can switch threads (`counter += 1` on 3.10+). Recording
    both at the read keeps the tracer from adding a switch point the program does not have."""
    pairs = {}
    for i, instr in enumerate(instrs):
        read = plan.get(instr.offset)
        if read is None or read.write or not isinstance(read.target, Static):
            continue
        for later in instrs[i + 1:]:
            write = plan.get(later.offset)
            if write is not None:
                if write.write and isinstance(write.target, Static) and write.target.key == read.target.key:
                    pairs[instr.offset] = later.offset
                break
            if not _straight(later.opname):
                break
    return pairs
