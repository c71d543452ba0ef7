"""`python tracer/gil_timeline [options] (script.py | -m module) [--] [args...]`"""
import os
import sys

# Python put this folder first on sys.path; the package is imported from its parent, and
# runner.prepare_* then sets sys.path[0] to what the program would have seen untraced.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from gil_timeline.main import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
