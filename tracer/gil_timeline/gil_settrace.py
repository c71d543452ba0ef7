"""GIL tracking (and race mode's access recording) on CPython 3.8-3.11: sys.settrace with a
per-thread trace function (its closure holds the thread index).

A RUN record is written whenever a line (or call) runs in a different thread than the one
that wrote the last record. To stay cheap, a frame whose thread already holds the GIL stops
getting line events (f_trace_lines = False); whenever any record shows another thread got the
GIL, every quiet frame is switched back on, so the next line in it reveals the handoff.
In race mode, frames whose code has access sites get the trace function of settrace_accesses.py."""
import sys
import time

from . import records as R
from .run_cache import RunCache
from .settrace_accesses import starts_of, steps_of, trace_function

_perf_ns = time.perf_counter_ns


def install(session, races=None):
    rec, emit = session.rec, session.emit
    last = rec.last
    code_in_scope = session.scope.code
    frame_site = rec.frame_site
    quiet = {}  # thread index -> its frames with line events off, innermost last
    parts = rec.access_parts() if races is not None else None

    loops = {}  # id(code) -> whether it jumps backwards (in-scope codes are kept alive by the scope)

    def has_loop(code):
        found = loops.get(id(code))
        if found is None:
            found = loops[id(code)] = _jumps_backwards(code)
        return found

    # Thread index -> [perf_counter_ns time]: until then no thread switch can be due. CPython asks
    # the GIL holder to let go only after a waiting thread has waited a whole switch interval with
    # no switch, so none is due earlier than an interval after the holder took the GIL; a thread
    # is taken to have just got it when it writes a record after another thread did. Stopping at
    # 80% of an interval leaves room for the time it ran before that record (3.8/3.9 floating
    # pairs; on the CPU-bound counter fewer than 1 in 100 switches landed past the deadline).
    deadlines = {}

    def wake_quiet_frames(thread):
        deadline = deadlines.get(thread)
        if deadline is not None:
            deadline[0] = _perf_ns() + int(sys.getswitchinterval() * 8e8)
        if quiet:
            for frames in list(quiet.values()):
                for frame in frames:
                    frame.f_trace_lines = True
            quiet.clear()

    rec.wake[0] = wake_quiet_frames

    def write_run(index, frame):
        emit(R.RUN, 0, index, frame_site(frame), 0)

    # id(code), (thread index, stack, cell owners) -> the trace function of such frames
    # (settrace_accesses.py), over the steps of races.run_plan().
    functions = RunCache()

    def access_tracer(code, index, stack, owners, other):
        run = (index, stack, owners)
        function = functions.get(id(code), run)  # races keeps the code alive: its id stays its own
        if function is None:
            access_lines, last_of_line, line_starts = races.lines[id(code)]
            steps = steps_of(races.run_plan(code, index, stack, owners), code, last_of_line)
            starts = starts_of(steps, line_starts, access_lines, races.floating_plan(code, index, stack, owners))
            deadline = deadlines.setdefault(index, [0])
            function = functions.put(id(code), run, trace_function(
                steps, starts, index, stack, access_lines, deadline, parts, write_run, other))
        return function

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

        def on_call(frame, event, arg):
            code = frame.f_code
            if not code_in_scope(code):
                return None
            if last[0] != index:
                emit(R.RUN, 0, index, frame_site(frame), 0)
            plan = races.plan(code) if races is not None else None
            if plan:
                # The frame's callers and cells stay put while it runs: one short stack and one
                # cell per variable for all its accesses.
                stack = races.stack_bits(frame)
                local = access_tracer(code, index, stack, races.cell_owners(code, frame), lines)
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
