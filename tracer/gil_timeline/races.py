"""Race mode: ACCESS records for reads and writes of shared state in scope, with LOC definitions
(display names as the user writes them) and one CODE_DIS per code object that has access sites.

The plan of each code object (access_plan.py) says which offsets matter; at run time a global or
cell access records a precomputed location, an attribute or item access finds its owner object
(and key) from the frame and numbers it (weakly, so a reused id() is a new object)."""
import dis
import sys
import threading
import types
import weakref

from . import access_plan
from . import records as R
from .cells import cell_addresses, cell_at
from .imports import when_imported
from .recorder import access_template
from .run_cache import RunCache
from .frame_vars import SHUNS_F_LOCALS, read_var
from .shared_memory import shared_memory_id

_CELL = type((lambda x: lambda: x)(0).__closure__[0])  # types.CellType from 3.8
_NOT_DATA = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)
_SKIP = object()
_MISSING = object()
_DATA = object()  # Races.owner_kind: an owner whose attributes or items are recorded
# How far up the stack_bits walk looks for callers in scope (past threading's own frames).
_STACK_WALK = 8


def _dead():
    return None  # what a weak reference answers once its object is gone


class CellLocation:
    """Where an entry's location id goes for a closure cell until the frame's cell is known: each
    cell is its own location (cells.py), numbered like an attribute's owner."""
    __slots__ = ("deref_arg", "key", "display")

    def __init__(self, deref_arg, key, display):
        self.deref_arg, self.key, self.display = deref_arg, key, display


class Pair(tuple):
    """(flags, site, location) of a read then of the write that follows it with no possible
    thread switch between (see access_plan.straight_pairs): both recorded at the read."""
    __slots__ = ()


class Races:
    def __init__(self, session, pair_straight_lines):
        self.session = session
        # Only where the instrumentation itself adds no switch point between the two
        # (sys.monitoring: the write's offset is then not instrumented at all).
        self.pair_straight_lines = pair_straight_lines
        self.rec = session.rec
        self.plans = {}
        # id(code) -> (lines with access sites, offsets that are the last access of their line,
        # {offset: line} where a line starts)
        self.lines = {}
        # id(code) -> {read offset: Pair} of floating pairs (floating_pairs), where reads and
        # writes are not paired anyway (3.8/3.9)
        self.floating = {}
        self._alive = []
        # id(code), (plan kind, thread index, stack bits, cell owners) -> run_plan()
        self._run_plans = RunCache()
        # id(code) -> the DEREF opargs of its cell entries, in the order of cell_owners()
        self.deref_args = {}
        # The id()s of a frame's cells -> their numbers: rec.objects keeps each cell it numbered
        # alive (a cell has no weak reference), so an id seen before is still that cell.
        self._cell_numbers = {}
        self._local_type = (threading.local,)
        # type -> owner_kind() of an attribute's owner, of an item's container
        self.owner_kinds = {}
        self.container_kinds = {}
        when_imported("_threading_local", self._add_local_type)

    def _add_local_type(self, module):
        # The pure-Python thread-local is one too: its attributes are per thread, not shared
        # (and numbering one, which has no weak reference, kept it alive: CPython's
        # test_threading_local PyThreadingLocalTest.test_cycle_collection failed traced).
        self._local_type += (module.local,)
        self.owner_kinds.clear()

    def owner_kind(self, owner_type, attribute):
        """_DATA, SKIP (a module's or function's attribute: code, not shared data) or None (a
        thread-local's attribute: per thread), remembered per type."""
        if issubclass(owner_type, _NOT_DATA):
            how = _SKIP
        elif attribute and issubclass(owner_type, self._local_type):
            how = None
        else:
            how = _DATA
        (self.owner_kinds if attribute else self.container_kinds)[owner_type] = how
        return how

    def plan(self, code):
        """{offset: entry} for code in scope (empty when it touches nothing shared). An entry is
        a (flags, site id, location id) tuple when the location is known statically (globals,
        cells), else a function(index, frame) that finds it and records, or returns SKIP."""
        plan = self.plans.get(id(code))  # id(): hashing a code object is slow
        if plan is None:
            self._alive.append(code)  # so no other code object can take its id
            plan = self._build(code)
            self.plans[id(code)] = plan
        return plan

    def _build(self, code):
        try:
            plan, instrs, lines = access_plan.build(code)
        except Exception:  # an unexpected bytecode shape must not break the program
            return {}
        if not plan:
            return {}
        rec = self.rec
        rec.define(R.CODE_DIS, 0, rec.code_id(code), 0, rec.str_id(access_plan.dis_json(instrs, lines)))
        entries = {offset: self._entry(code, access) for offset, access in plan.items()}
        deref_args = sorted({e[2].deref_arg for e in entries.values()
                             if isinstance(e, tuple) and isinstance(e[2], CellLocation)})
        if deref_args:
            self.deref_args[id(code)] = tuple(deref_args)
        starts = dict(dis.findlinestarts(code))
        pairs = access_plan.straight_pairs(plan, instrs)
        if self.pair_straight_lines:
            for read, write in pairs.items():
                entries[read] = Pair(entries[read] + entries.pop(write))
        else:
            self.floating[id(code)] = floating_pairs(plan, entries, pairs, starts)
        self.lines[id(code)] = _line_facts(plan, entries) + (starts,)
        return entries

    def floating_plan(self, code, index, stack, owners):
        """floating_pairs of `code` as recorder.access_templates for one thread, short stack and
        cell owners."""
        run = ("floating", index, stack, owners)
        return self._templates(run, self.floating.get(id(code), {}), code, index, stack, owners)

    def run_plan(self, code, index, stack, owners):
        """plan(code) as one thread runs it under one short stack with the cells whose numbers are
        `owners` (cell_owners()): {offset: item}, an item being the recorder.access_template (a
        plain tuple) of a global or cell access (or of a Pair), or the entry function of an
        attribute or item access. Built once per such run."""
        # plan() keeps the code alive, so its id stays its own
        return self._templates(("plan", index, stack, owners), self.plan(code), code, index, stack, owners)

    def cell_owners(self, code, frame):
        """The numbers of the cells `frame` (running `code`, which has a plan) holds at its cell
        entries' DEREF opargs; () when it has none."""
        deref_args = self.deref_args.get(id(code))
        if deref_args is None:
            return ()
        if frame.f_code is not code:  # its slots are another code's: never read them as cells
            return (0,) * len(deref_args)
        addresses = cell_addresses(frame, code, deref_args)
        found = self._cell_numbers.get(addresses)
        if found is None:
            found = self._number_cells(addresses)
        return found

    def _number_cells(self, addresses):
        if None in addresses:
            return (0,) * len(addresses)  # an empty slot: not expected while the code runs
        objects = self.rec.objects
        found = tuple(objects(cell) if type(cell) is _CELL else 0
                      for cell in map(cell_at, addresses))
        if objects.keeps_alive():
            self._cell_numbers[addresses] = found
        return found

    def _templates(self, run, entries, code, index, stack, owners):
        found = self._run_plans.get(id(code), run)
        if found is None:
            found = self._run_plans.put(id(code), run, {
                offset: access_template(self._located(code, entry, owners), index, stack)
                if isinstance(entry, tuple) else entry
                for offset, entry in entries.items()})
        return found

    def _located(self, code, entry, owners):
        """entry with the location id of each cell's CellLocation under `owners`."""
        if not any(isinstance(part, CellLocation) for part in entry):
            return entry
        deref_args = self.deref_args[id(code)]
        parts = list(entry)
        for i in range(2, len(parts), 3):
            cell = parts[i]
            if isinstance(cell, CellLocation):
                owner = owners[deref_args.index(cell.deref_arg)] if owners else 0
                parts[i] = self.rec.location_id(R.LOC_CELL, owner, cell.key, cell.display)
        return type(entry)(parts)

    def stack_bits(self, frame):
        """The short stack of an access made in `frame`: its nearest callers in scope (up to
        STACK_DEPTH, looking at most _STACK_WALK frames up) as rec.stack_id bits for ACCESS `b`."""
        # Called at every call of a function with access sites: Scope.code's cache is read inline
        # (the walk took 3.7 µs instead of 3.1 on 3.8 through the method).
        rec, scope, frame_site = self.rec, self.session.scope, self.rec.frame_site
        decided = scope.codes
        sites = []
        caller = frame.f_back
        walk = _STACK_WALK
        while caller is not None and walk:
            code = caller.f_code
            known = decided.get(id(code))
            if known[1] if known is not None and known[0] is code else scope.code(code):
                sites.append(frame_site(caller))
                if len(sites) == R.STACK_DEPTH:
                    break
            caller = caller.f_back
            walk -= 1
        return rec.stack_id(tuple(sites))

    def _entry(self, code, access):
        rec = self.rec
        site = rec.site_id(code, access.offset, access.line, access.opname)
        flags = access.flags
        target = access.target
        if isinstance(target, access_plan.Static):
            if target.deref_arg is not None and cell_at is not None:
                return (flags, site, CellLocation(target.deref_arg, target.key, target.display))
            return (flags, site, rec.location_id(target.kind, 0, target.key, target.display))
        return _dynamic_entry(self, target, flags, site)


def _dynamic_entry(races, target, flags, site):
    """entry(index, frame, stack) for an attribute or item: finds the owner (and key) in the frame
    (the caller's caller when frame is None: the sys.monitoring callback), numbers the location
    and records; returns SKIP where the owner is code, not data."""
    emit = races.session.emit
    display, kind = target.display, target.kind
    getframe = sys._getframe
    owner_of = _getter(target.owner)
    key_of = _getter(target.key) if kind == R.LOC_ITEM else None
    objects = races.rec.objects
    location_id = races.rec.location_id
    attr = target.attr
    owner_kinds = races.owner_kinds if key_of is None else races.container_kinds
    owner_kind = races.owner_kind
    # Only `.value` of a multiprocessing.Value and items of an Array can be shared memory.
    maybe_shared = attr in ("value", None)
    # The last owner (weakly) and its location, one tuple replaced whole (threads share it): a loop
    # or a method called again and again touches one object.
    last = [(_dead, 0)]

    def entry(index, frame, stack):
        frame = frame or getframe(2)
        owner = owner_of(frame)
        if owner is _MISSING:
            return None
        how = owner_kinds.get(type(owner))
        if how is None:
            how = owner_kind(type(owner), key_of is None)
        if how is not _DATA:
            return how  # SKIP: code, not shared data; None: a thread-local's attribute
        if key_of is not None:
            key = key_of(frame)
            if key is _MISSING:
                return None
            key = _key_text(key, objects)
            shared = _shared_memory_address(owner, None) if maybe_shared else 0
            loc = location_id(R.LOC_SHARED, shared, ("item", key), display) if shared else \
                location_id(kind, objects(owner), key, display)
        else:
            seen = last[0]
            if seen[0]() is owner:
                loc = seen[1]
            else:
                shared = _shared_memory_address(owner, attr) if maybe_shared else 0
                loc = location_id(R.LOC_SHARED, shared, ("shared", attr), display) if shared else \
                    location_id(kind, objects(owner), attr, display)
                try:
                    last[0] = (weakref.ref(owner), loc)
                except TypeError:  # no weak reference (__slots__): numbered each time
                    pass
        emit(R.ACCESS, flags, index, site, loc + stack)
    return entry


def floating_pairs(plan, entries, pairs, starts):
    """{read offset: Pair} for 3.8/3.9, where the interpreter can switch threads between the read
    and the write of `counter += 1`, so each is recorded where it happens (an opcode event for
    every instruction of the line). A floating pair records both at the read instead, from the
    line event alone, with the write flagged ACCESS_FLOATING: it happens by the thread's next
    record. Only for a line that starts with the read and has no other access, and used only
    while no thread switch is due (settrace_accesses.py), so the write rarely floats past another
    thread's records; the analysis never counts a lost update on a write that did."""
    lines = {}
    for offset in entries:
        lines.setdefault(plan[offset].line, []).append(offset)
    found = {}
    for read, write in pairs.items():
        if read in starts and sorted(lines[plan[read].line]) == [read, write]:
            flags, site, location = entries[write]
            found[read] = Pair(entries[read] + (flags | R.ACCESS_FLOATING, site, location))
    return found


def _line_facts(plan, entries):
    last_of_line = {}
    for offset in sorted(entries):
        last_of_line[plan[offset].line] = offset
    return frozenset(last_of_line), frozenset(last_of_line.values())


def _getter(expr):
    base, name, attrs = expr.base, expr.name, expr.attrs
    if base == "const":
        def value(frame):
            return name
        return value

    def value(frame):
        try:
            if base == "fast":
                obj = read_var(frame, name)
            else:
                obj = _global(frame, name, base == "name")
            for attr in attrs:
                obj = getattr(obj, attr)
            return obj
        except Exception:
            return _MISSING
    return value


def _global(frame, name, local_first):
    if local_first:  # LOAD_NAME: module or class body code
        if SHUNS_F_LOCALS and frame.f_code.co_nlocals:
            found = _fast_or_missing(frame, name)
        else:
            found = frame.f_locals.get(name, _MISSING)
        if found is not _MISSING:
            return found
    found = frame.f_globals.get(name, _MISSING)
    if found is _MISSING:
        builtins = frame.f_builtins
        found = builtins[name] if name in builtins else _MISSING
    if found is _MISSING:
        raise KeyError(name)
    return found


def _fast_or_missing(frame, name):
    try:
        return read_var(frame, name)
    except NameError:
        return _MISSING


def _key_text(key, objects):
    if type(key) in (int, str, bytes, float, bool) or key is None:
        return repr(key)
    if type(key) is tuple and all(type(k) in (int, str, bytes, float, bool) for k in key):
        return repr(key)
    return "<%s #%d>" % (type(key).__name__, objects(key))


def _shared_memory_address(owner, attr):
    """multiprocessing.Value (`.value`) and Array (items) wrappers: a name of the shared memory
    that every process of the run computes alike (shared_memory.py), so they name one location."""
    if attr not in ("value", None) or type(owner).__module__ != "multiprocessing.sharedctypes":
        return 0
    try:
        obj = owner.get_obj()
    except Exception:
        return 0
    return shared_memory_id(obj)


def install(session, pair_straight_lines=False):
    return Races(session, pair_straight_lines)


SKIP = _SKIP
