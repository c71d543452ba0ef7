"""On PYTHONPATH only for the Python children of a traced program (a multiprocessing spawn child
or fork server, a subprocess running Python): starts recording in that child, then hands over to
any sitecustomize the environment has."""
import os
import sys


def _start_gil_timeline():
    spec = os.environ.get("GIL_TIMELINE_CHILD")
    if not spec or sys.version_info < (3, 8):
        return  # another Python run by subprocess (python2, python3.6...): the tracer needs 3.8+
    import json

    if json.loads(spec).get("role") == "spawn" and "--multiprocessing-fork" not in sys.argv:
        return  # not the spawn child the variable was set for
    tracer_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.path.insert(0, tracer_dir)
    try:
        from gil_timeline.child import start_child
    finally:
        sys.path.remove(tracer_dir)
    start_child(spec)


def _chain_to_next_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    ours = sys.modules.pop("sitecustomize")
    try:
        import sitecustomize  # noqa: F401 - the environment's own, if any
    except ImportError:
        pass
    finally:
        # importlib takes the module back out of sys.modules when this file finishes.
        sys.modules.setdefault("sitecustomize", ours)


_start_gil_timeline()
_chain_to_next_sitecustomize()
