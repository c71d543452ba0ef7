"""Race mode: ACCESS records for reads and writes of shared state in scope, with LOC definitions
(display names as the user writes them) and one CODE_DIS per code object that has access sites.

The plan of each code object (access_plan.py) says which offsets matter; at run time a global or
cell access records a precomputed location, an attribute or item access finds its owner object
(and key) from the frame and numbers it (weakly, so a reused id() is a new object)."""
import sys
import threading
import types

from . import access_plan
from . import records as R

_NOT_DATA = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)
_SKIP = object()
_MISSING = object()


class Races:
    def __init__(self, session):
        self.session = session
        self.rec = session.rec
        self.plans = {}
        self._local_type = threading.local

    def plan(self, code):
        """{offset: handler(index, frame)} for code in scope (empty when it touches nothing)."""
        handlers = self.plans.get(code)
        if handlers is None:
            handlers = self._build(code)
            self.plans[code] = handlers
        return handlers

    def _build(self, code):
        try:
            plan, instrs, lines = access_plan.build(code)
        except Exception:  # an unexpected bytecode shape must not break the program
            return {}
        if not plan:
            return {}
        rec = self.rec
        rec.define(R.CODE_DIS, 0, rec.code_id(code), 0, rec.str_id(access_plan.dis_json(instrs, lines)))
        return {offset: self._handler(code, access) for offset, access in plan.items()}

    def _handler(self, code, access):
        rec, emit = self.rec, self.session.emit
        site = rec.site_id(code, access.offset, access.line, access.opname)
        flags = access.flags
        target = access.target
        if isinstance(target, access_plan.Static):
            location = rec.location_id(target.kind, 0, target.key, target.display)

            def static(index, frame):
                emit(R.ACCESS, flags, index, site, location)
            return static

        display = target.display
        kind = target.kind
        getframe = sys._getframe
        owner_of = _getter(target.owner)
        objects = rec.objects
        location_id = rec.location_id
        local_type = self._local_type
        if kind == R.LOC_ATTR:
            attr = target.attr

            def attribute(index, frame):
                owner = owner_of(frame or getframe(2))
                if owner is _MISSING:
                    return None
                if isinstance(owner, _NOT_DATA):
                    return _SKIP  # a module's or function's attribute: code, not shared data
                if isinstance(owner, local_type):
                    return None
                shared = _shared_memory_address(owner, attr)
                if shared:
                    loc = location_id(R.LOC_SHARED, shared, ("shared", attr), display)
                else:
                    loc = location_id(R.LOC_ATTR, objects(owner), attr, display)
                emit(R.ACCESS, flags, index, site, loc)
            return attribute

        key_of = _getter(target.key)

        def item(index, frame):
            frame = frame or getframe(2)
            container = owner_of(frame)
            key = key_of(frame)
            if container is _MISSING or key is _MISSING:
                return None
            if isinstance(container, _NOT_DATA):
                return _SKIP
            loc = location_id(R.LOC_ITEM, objects(container), _key_text(key, objects), display)
            emit(R.ACCESS, flags, index, site, loc)
        return item


def _getter(expr):
    base, name, attrs = expr.base, expr.name, expr.attrs
    if base == "const":
        def value(frame):
            return name
        return value

    def value(frame):
        try:
            if base == "fast":
                obj = frame.f_locals[name]
            else:
                obj = _global(frame, name, base == "name")
            for attr in attrs:
                obj = getattr(obj, attr)
            return obj
        except Exception:
            return _MISSING
    return value


def _global(frame, name, local_first):
    if local_first:
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


def _key_text(key, objects):
    if type(key) in (int, str, bytes, float, bool) or key is None:
        return repr(key)
    if type(key) is tuple and all(type(k) in (int, str, bytes, float, bool) for k in key):
        return repr(key)
    return "<%s #%d>" % (type(key).__name__, objects(key))


def _shared_memory_address(owner, attr):
    """multiprocessing.Value/Array wrappers: the address of the shared memory (the same in
    forked children), so all processes name the same location."""
    if attr != "value" or type(owner).__module__ != "multiprocessing.sharedctypes":
        return 0
    try:
        import ctypes
        return ctypes.addressof(owner.get_obj())
    except Exception:
        return 0


def install(session):
    return Races(session)


SKIP = _SKIP
