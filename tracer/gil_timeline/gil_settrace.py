"""GIL tracking on CPython 3.8-3.11: sys.settrace with a per-thread trace function.

A RUN record is written whenever a line (or call) runs in a different thread than the one
that wrote the last record. To stay cheap, a frame whose thread already holds the GIL stops
getting line events (f_trace_lines = False); whenever any record shows another thread got the
GIL, every quiet frame is switched back on, so the next line in it reveals the handoff."""
import sys

from . import records as R


def install(session, races=None):
    rec, emit = session.rec, session.emit
    last = rec.last
    code_in_scope = session.scope.code
    frame_site = rec.frame_site
    plans = races.plans if races is not None else {}
    quiet = {}  # thread index -> its frames with line events off, innermost last

    def wake(thread):
        if quiet:
            for frames in list(quiet.values()):
                for frame in frames:
                    frame.f_trace_lines = True
            quiet.clear()

    rec.wake[0] = wake

    def tracer_for(index):
        def local(frame, event, arg):
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
            if event == "opcode":
                handler = plans[frame.f_code].get(frame.f_lasti)
                if handler is not None:
                    handler(index, frame)
            return local

        def on_call(frame, event, arg):
            if not code_in_scope(frame.f_code):
                return None
            if last[0] != index:
                emit(R.RUN, 0, index, frame_site(frame), 0)
            if races is not None and races.plan(frame.f_code):
                frame.f_trace = local  # before f_trace_opcodes (see the notes on 3.13.0)
                frame.f_trace_opcodes = True
            return local

        return on_call

    session.thread_hooks.append(lambda index: sys.settrace(tracer_for(index)))

    def start_main():
        sys.settrace(tracer_for(0))

    def stop():
        sys.settrace(None)

    return start_main, stop
