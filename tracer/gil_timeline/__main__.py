"""`python tracer/gil_timeline [options] (script.py | -m module) [--] [args...]`"""
import os
import sys

# Python put this folder first on sys.path; the package is imported from its parent, and
# runner.prepare_* then sets sys.path[0] to what the program would have seen untraced.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The tracer's own modules are compiled once and cached even where the environment says
# PYTHONDONTWRITEBYTECODE (it is restored at once, for the program's imports).
_dont_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, False
try:
    from gil_timeline.main import main  # noqa: E402
finally:
    sys.dont_write_bytecode = _dont_write_bytecode

sys.exit(main(sys.argv[1:]))
