"""GIL tracking on CPython 3.12+: sys.monitoring.

PY_START/PY_RESUME (global) decide scope once per code object (DISABLE outside it) and turn on
JUMP events for code in scope; JUMP and PY_START write a RUN record whenever the running thread
differs from the one that wrote the last record, so a change of thread is a handoff."""
import sys

from . import races as races_module
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
    enabled = set()

    def ran(code, offset):
        index = state.index
        if index < 0:
            index = session.adopt()
        emit(R.RUN, 0, index, site_id(code, offset, line_of(code, offset)), 0)

    def on_start(code, offset):
        if not code_in_scope(code):
            return DISABLE
        if code not in enabled:
            enabled.add(code)
            wanted = events.JUMP
            if races is not None and races.plan(code):
                wanted |= events.INSTRUCTION
            monitoring.set_local_events(tool, code, wanted)
        if state.index != last[0]:
            ran(code, offset)

    def on_jump(code, src, dst):
        if state.index != last[0]:
            ran(code, src)

    if races is not None:
        plans = races.plans
        SKIP = races_module.SKIP

        def on_instruction(code, offset):
            handler = plans[code].get(offset)
            if handler is None:
                return DISABLE
            index = state.index
            if index < 0:
                index = session.adopt()
            if handler(index, None) is SKIP:
                return DISABLE

        monitoring.register_callback(tool, events.INSTRUCTION, on_instruction)

    monitoring.register_callback(tool, events.PY_START, on_start)
    monitoring.register_callback(tool, events.PY_RESUME, on_start)
    monitoring.register_callback(tool, events.JUMP, on_jump)

    def start_main():
        monitoring.set_events(tool, events.PY_START | events.PY_RESUME)

    def stop():
        monitoring.set_events(tool, 0)
        for code in list(enabled):
            monitoring.set_local_events(tool, code, 0)

    return start_main, stop
