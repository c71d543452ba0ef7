"""Race mode's trace function for frames with access sites under sys.settrace (3.8-3.11): the
hottest code of the tracer before 3.12. A line with an access gets an opcode event for every
instruction; `counter += 1` in a loop costs 6 trace calls per iteration on 3.8/3.9.

What keeps it cheap (measured on the CPU-bound counter, docs/performance.md):
- a plain function over its own globals dict, not a closure: 3.8 and 3.9 call a function with
  free variables through their slow path. What one frame needs (its steps, the thread index,
  the recorder's pieces) sits in that dict, and ACCESS records are packed inline;
- an access at the start of a line is recorded by the line event (the opcode event at the same
  offset, which follows at once, then skips it), and a line whose only access is that one needs
  no opcode events at all;
- on 3.8/3.9, a floating pair (races.floating_pairs) records `counter += 1` from the line event
  alone while no thread switch can be due (the deadline, gil_settrace.py): 2 trace calls per
  iteration instead of 6. Near a possible switch, each access is recorded where it happens."""
import sys
import types

from .frame_vars import COPY_NEEDS_REFRESH

_OPCODE_EVENT = '''
    if event is OPCODE:
        offset = frame.f_lasti
        step = steps[offset]
        if step is None:
            return accesses
        if offset == recorded[0]:
            recorded[0] = -1  # just recorded by this line's event
            return accesses
        if step[0]:
            # Nothing more to record on this line: no opcode events until the next.
            frame.f_trace_opcodes = False
        head = step[1]
        if head is None:
            step[2](index, frame, stack)  # an attribute or item: its owner is found now
            {copied}
            return accesses
        if last[0] != index:
            last[0] = index
            wake[0](index)
        tail = step[3]
        if tail is None:
            put(one(head, now(), step[2]))
        else:
            t = now()
            put(two(head, t, step[2], t, tail))
        return accesses
'''

_LINE_EVENT = '''
    if event is LINE:
        {refresh}
        if last[0] != index:
            run(index, frame)
        step = starts[frame.f_lasti]
        if step is False:  # a line without accesses
            frame.f_trace_opcodes = False
            return accesses
        if step is True:  # a line with accesses, none at its start
            frame.f_trace_opcodes = True
            return accesses
        if step is None:  # not a line's first instruction (a jump back into a line)
            frame.f_trace_opcodes = frame.f_lineno in access_lines
            return accesses
        # The line starts with an access: recorded now, right before its instruction runs.
        pair = step[4]
        head = step[1]
        if head is None:
            step[2](index, frame, stack)
            {copied}
        else:
            t = now()
            if pair is not None and t < deadline[0]:
                put(two(pair[0], t, pair[1], t, pair[2]))  # the floating pair
                frame.f_trace_opcodes = False
                return accesses
            tail = step[3]
            if tail is None:
                put(one(head, t, step[2]))
            else:
                put(two(head, t, step[2], t, tail))
        if step[0]:
            frame.f_trace_opcodes = False
        else:
            frame.f_trace_opcodes = True
            recorded[0] = frame.f_lasti
        return accesses
'''


def _source():
    # 3.11 only: an access that read a frame's f_locals has it re-read at the next line event, which
    # drops locals deleted since (frame_vars.py). Left out of the source elsewhere, not skipped.
    # One function serves every frame of a code, thread and short stack: the frames whose copy
    # was made are remembered by id() until they return (a reused id only costs a refresh).
    refresh = "if id(frame) in copied:\n            frame.f_locals" if COPY_NEEDS_REFRESH else "pass"
    copied = "copied.add(id(frame))" if COPY_NEEDS_REFRESH else "pass"
    returned = "\n    if event == 'return':\n        copied.discard(id(frame))" if COPY_NEEDS_REFRESH else ""
    # Line events first: with floating pairs they are most of the calls.
    return ("def accesses(frame, event, arg):" + _LINE_EVENT.format(refresh=refresh, copied=copied)
            + _OPCODE_EVENT.format(copied=copied) + returned
            + "\n    other(frame, event, arg)\n    return accesses\n")


_CODE = next(c for c in compile(_source(), __file__, "exec").co_consts if isinstance(c, types.CodeType))


def _event_names():
    """The exact str objects settrace passes as `event`, so the hot test is `is`, not `==`."""
    seen = {}

    def probe(frame, event, arg):
        seen[event] = event
        frame.f_trace_opcodes = True
        return probe

    def target():
        return None

    old = sys.gettrace()
    sys.settrace(lambda frame, event, arg: probe if frame.f_code is target.__code__ else None)
    try:
        target()
    finally:
        sys.settrace(old)
    return seen["opcode"], seen["line"]


_OPCODE, _LINE = _event_names()


def steps_of(run_plan, code, last_of_line):
    """A run plan ({offset: template or entry function}, races.run_plan) as a list indexed by
    offset: (last access of its line, head, middle, tail) for a template, (last, None, entry)
    for an entry function, None where nothing is recorded."""
    steps = [None] * (len(code.co_code) + 2)
    for offset, item in run_plan.items():
        last = offset in last_of_line
        steps[offset] = (last, item[0], item[1], item[2]) if isinstance(item, tuple) else (last, None, item)
    return steps


def starts_of(steps, line_starts, access_lines, floating_plan):
    """What the line event finds at each offset: at a line's first instruction (line_starts:
    {offset: line}), its step padded to (last, head, middle, tail) plus the floating pair that
    may replace it (or None) where the line starts with an access, else whether the line has
    accesses; None at other offsets."""
    starts = [None] * len(steps)
    for offset, line in line_starts.items():
        if offset < len(steps):
            step = steps[offset]
            starts[offset] = line in access_lines if step is None else (step + (None, None))[:4] + (floating_plan.get(offset),)
    return starts


def trace_function(steps, starts, index, stack, access_lines, deadline, parts, run, other):
    """The trace function of one frame. deadline: a one-item list, the perf_counter_ns time until
    which no thread switch can be due (gil_settrace.py); parts: Recorder.access_parts();
    run(index, frame) writes a RUN record; other(frame, event, arg) takes call, return and
    exception events."""
    space = dict(parts)
    space.update(
        OPCODE=_OPCODE, LINE=_LINE, copied=set(), recorded=[-1], steps=steps, starts=starts,
        index=index, stack=stack, access_lines=access_lines, deadline=deadline, run=run,
        other=other, __builtins__=__builtins__)
    function = types.FunctionType(_CODE, space, "accesses")
    space["accesses"] = function
    return function
