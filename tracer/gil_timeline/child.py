"""Recording in a multiprocessing spawn child (started by _child/sitecustomize.py)."""
import json
import os
import sys

from .processes import ENV
from .recorder import warn
from .start import start_recording


def start_child(spec):
    settings = json.loads(spec)
    # The child's own children must not inherit the tracer's sitecustomize by accident.
    os.environ.pop(ENV, None)
    if settings.get("pythonpath"):
        os.environ["PYTHONPATH"] = settings["pythonpath"]
    else:
        os.environ.pop("PYTHONPATH", None)
    if settings.get("switchIntervalS"):
        sys.setswitchinterval(settings["switchIntervalS"])
    try:
        recording = start_recording(settings, create=False, start_method="spawn")
    except OSError as exc:
        warn("cannot open the trace file in a child process: %s" % exc)
        return
    recording.start_tracking()
