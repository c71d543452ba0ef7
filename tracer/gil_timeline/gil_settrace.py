"""GIL tracking (and race mode's access recording) on CPython 3.8-3.11: sys.settrace with a
per-thread trace function (its closure holds the thread index).

A RUN record is written whenever a line (or call) runs in a different thread than the one
that wrote the last record. To stay cheap, a frame whose thread already holds the GIL stops
getting line events (f_trace_lines = False); whenever any record shows another thread got the
GIL, every quiet frame is switched back on, so the next line in it reveals the handoff.
In race mode, frames whose code has access sites also get opcode events."""
import sys

from . import records as R
from .frame_vars import COPY_NEEDS_REFRESH


def install(session, races=None):
    rec, emit = session.rec, session.emit
    last = rec.last
    code_in_scope = session.scope.code
    frame_site = rec.frame_site
    quiet = {}  # thread index -> its frames with line events off, innermost last
    write = rec.access_writer() if races is not None else None

    loops = {}  # id(code) -> whether it jumps backwards (in-scope codes are kept alive by the scope)

    def has_loop(code):
        found = loops.get(id(code))
        if found is None:
            found = loops[id(code)] = _jumps_backwards(code)
        return found

    def wake_quiet_frames(thread):
        if quiet:
            for frames in list(quiet.values()):
                for frame in frames:
                    frame.f_trace_lines = True
            quiet.clear()

    rec.wake[0] = wake_quiet_frames

    def tracer_for(index):
        def lines(frame, event, arg):
            if last[0] != index:
                emit(R.RUN, 0, index, frame_site(frame), 0)
            elif event == "line":
                frame.f_trace_lines = False
                frames = quiet.get(index)
                if frames is None:
                    quiet[index] = frames = []
                frames.append(frame)
            elif event == "return":
                frames = quiet.get(index)
                if frames and frames[-1] is frame:
                    frames.pop()
            return lines

        def with_accesses(run_plan, stack, access_lines, last_of_line):
            """The trace function of a frame whose code has access sites (races.run_plan)."""
            get = run_plan.get
            copied = [False]  # 3.11: an access read this frame's f_locals (frame_vars.py)

            def accesses(frame, event, arg):
                if event == "opcode":
                    offset = frame.f_lasti
                    item = get(offset)
                    if item is None:
                        return accesses
                    if offset in last_of_line:
                        # Nothing more to record on this line: no opcode events until the next.
                        frame.f_trace_opcodes = False
                    if item.__class__ is tuple:
                        write(index, item)
                    else:
                        item(index, frame, stack)
                        copied[0] = COPY_NEEDS_REFRESH
                    return accesses
                if event == "line":
                    if copied[0]:
                        frame.f_locals  # re-copy: drop locals deleted since (frame_vars.py)
                    # Line events stay on in frames that record accesses: they switch opcode
                    # events on for the lines that have access sites, and off elsewhere.
                    frame.f_trace_opcodes = frame.f_lineno in access_lines
                    if last[0] != index:
                        emit(R.RUN, 0, index, frame_site(frame), 0)
                    return accesses
                lines(frame, event, arg)
                return accesses
            return accesses

        def on_call(frame, event, arg):
            code = frame.f_code
            if not code_in_scope(code):
                return None
            if last[0] != index:
                emit(R.RUN, 0, index, frame_site(frame), 0)
            plan = races.plan(code) if races is not None else None
            if plan:
                # The frame's callers stay put while it runs: one short stack for all its accesses.
                stack = races.stack_bits(frame)
                local = with_accesses(races.run_plan(code, index, stack), stack, *races.lines[id(code)])
                frame.f_trace = local  # before f_trace_opcodes (see the notes on 3.13.0)
                frame.f_trace_opcodes = True
                return local
            # A frame without a loop gets no line events: a handoff while it runs shows at the
            # next call or the next line of a looping frame (call-heavy code costs half as much).
            return lines if has_loop(code) else None

        on_call.gt_index = index  # how settrace_by_program recognizes its own
        return on_call

    real_settrace = sys.settrace
    replaced = set()  # thread indexes whose trace function the program replaced
    session.thread_hooks.append(lambda index: real_settrace(tracer_for(index)))

    def settrace_by_program(function):
        index = getattr(function, "gt_index", None)
        if index is not None:
            # The program puts back what sys.gettrace() gave it (a debugger or a test saving and
            # restoring the trace function): tracking resumes, with this thread's own index.
            me = session.current()
            real_settrace(function if index == me else tracer_for(me))
            if me in replaced and not rec.closed:
                replaced.discard(me)
                session.mark(me, "sys.settrace: the program put the tracer back: this thread is traced again")
            return
        # A debugger or coverage tool in the program takes over this thread's trace function:
        # say so in the trace, since GIL tracking (and access recording) stops here.
        if not rec.closed:
            me = session.current()
            replaced.add(me)
            session.mark(me, "sys.settrace was replaced by the program: this thread is no longer traced")
        real_settrace(function)

    def start_main():
        real_settrace(tracer_for(0))
        sys.settrace = settrace_by_program

    def stop():
        sys.settrace = real_settrace
        real_settrace(None)

    return start_main, stop


def _jumps_backwards(code):
    import dis  # only once per code object in scope
    jumps = set(dis.hasjrel) | set(dis.hasjabs)
    return any(i.opcode in jumps and isinstance(i.argval, int) and i.argval <= i.offset
               for i in dis.get_instructions(code))
