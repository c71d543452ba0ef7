"""GIL tracking (and race mode's access recording) on CPython 3.12+: sys.monitoring.

PY_START/PY_RESUME (global) decide scope once per code object (DISABLE outside it) and turn on
JUMP events (and INSTRUCTION, PY_RETURN and PY_YIELD events where race mode found access sites)
for code in scope.
JUMP and PY_START write a RUN record whenever the running thread differs from the one that
wrote the last record, so a change of thread is a handoff. INSTRUCTION returns DISABLE at every
offset that is not an access site, so only those keep calling back."""
import sys

from . import records as R
from .lines import LineTable

_TOOL_IDS = (4, 5, 3, 2)


def _claim_tool_id():
    monitoring = sys.monitoring
    for tool in _TOOL_IDS:
        if monitoring.get_tool(tool) is None:
            monitoring.use_tool_id(tool, "gil-timeline")
            return tool
    raise RuntimeError("no free sys.monitoring tool id")


def install(session, races=None):
    monitoring = sys.monitoring
    events = monitoring.events
    DISABLE = monitoring.DISABLE
    tool = _claim_tool_id()
    rec, emit, state = session.rec, session.emit, session.state
    last = rec.last
    code_in_scope = session.scope.code
    site_id = rec.site_id
    line_of = LineTable().line
    enabled = {}  # id(code) -> code (kept alive so the id stays its own)

    def ran(code, offset):
        index = state.index
        if index < 0:
            index = session.adopt()
        emit(R.RUN, 0, index, site_id(code, offset, line_of(code, offset)), 0)

    forget_frame = None  # race mode: the INSTRUCTION callback's forget()

    def on_start(code, offset):
        if forget_frame is not None:
            forget_frame()
        if id(code) not in enabled:
            if not code_in_scope(code):
                return DISABLE
            enabled[id(code)] = code
            wanted = events.JUMP
            if races is not None and races.plan(code):
                # The INSTRUCTION callback keeps one frame's short stack and cells until a new
                # frame starts; a frame that returns to another of the same code (recursion, one
                # closure calling another) must drop them.
                wanted |= events.INSTRUCTION | events.PY_RETURN | events.PY_YIELD
            monitoring.set_local_events(tool, code, wanted)
        if state.index != last[0]:
            ran(code, offset)

    plans = races.plans if races is not None else {}

    def on_jump(code, src, dst):
        if state.index != last[0]:
            ran(code, src)
        if dst < src:
            plan = plans.get(id(code))
            if plan and _loop_records_accesses(plan, dst, src):
                # The loop's own ACCESS records show which thread runs it: no need for JUMP.
                return DISABLE
        return None

    if races is not None:
        on_instruction, forget_frame = _instruction_callback(session, races, DISABLE)
        monitoring.register_callback(tool, events.INSTRUCTION, on_instruction)

        def on_leave(code, offset, value):
            forget_frame()

        monitoring.register_callback(tool, events.PY_RETURN, on_leave)
        monitoring.register_callback(tool, events.PY_YIELD, on_leave)
    monitoring.register_callback(tool, events.PY_START, on_start)
    monitoring.register_callback(tool, events.PY_RESUME, on_start)
    monitoring.register_callback(tool, events.JUMP, on_jump)

    def start_main():
        monitoring.set_events(tool, events.PY_START | events.PY_RESUME)

    def stop():
        monitoring.set_events(tool, 0)
        for code in list(enabled.values()):
            monitoring.set_local_events(tool, code, 0)

    return start_main, stop


def _loop_records_accesses(plan, start, end):
    for offset, entry in plan.items():
        if start <= offset <= end and isinstance(entry, tuple):
            return True
    return False


def _instruction_callback(session, races, DISABLE):
    """The hottest path of race mode: one call per access site executed. Returns the callback
    and forget(), which PY_START/PY_RESUME call so that a new frame gets its own short stack."""
    from . import races as races_module  # only in race mode: it needs dis and ast

    SKIP = races_module.SKIP
    state = session.state
    adopt = session.adopt
    write = session.rec.access_writer()
    stack_bits = races.stack_bits
    run_plan = races.run_plan
    cell_owners = races.cell_owners
    getframe = sys._getframe
    # (code, thread index, run plan, stack bits) of the last access: a hot loop stays in one
    # frame of one thread, so nothing is looked up again. One tuple, replaced whole, so a
    # thread switch inside this callback can never mix two threads' fields.
    unknown = (None, -2, None, 0)
    hot = [unknown]

    def on_instruction(code, offset):
        index = state.index
        now = hot[0]
        if now[0] is not code or now[1] != index:
            if index < 0:
                index = adopt()
            frame = getframe(1)
            stack = stack_bits(frame)
            now = hot[0] = (code, index, run_plan(code, index, stack, cell_owners(code, frame)), stack)
        item = now[2].get(offset)
        if item.__class__ is tuple:
            write(index, item)
        elif item is None or item(index, None, now[3]) is SKIP:
            return DISABLE
        return None

    def forget():
        hot[0] = unknown

    return on_instruction, forget
