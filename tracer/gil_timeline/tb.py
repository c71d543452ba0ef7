"""Tracebacks that look as if the tracer were not there."""
from .scope import is_tracer_file


def strip_tracer_frames(exc):
    """Unlink the tracer's own frames (wrappers around sleep, locks, the runner) from the
    exception's traceback chain, in place, so printed tracebacks match an untraced run."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = _strip(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__
    return None


def _strip(tb):
    head = tb
    while head is not None and is_tracer_file(head.tb_frame.f_code.co_filename):
        head = head.tb_next
    node = head
    while node is not None:
        nxt = node.tb_next
        while nxt is not None and is_tracer_file(nxt.tb_frame.f_code.co_filename):
            nxt = nxt.tb_next
        node.tb_next = nxt
        node = nxt
    return head
