"""Run the program the way `python script.py` / `python -m module` would."""
import builtins
import io
import os
import sys
import types
from importlib.machinery import SourceFileLoader


class ScriptNotFound(Exception):
    pass


def fresh_main_module():
    """A new, empty __main__ (the tracer's own __main__ must not leak into the program's)."""
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    return main


def prepare_script(script):
    """sys.argv[0] and sys.path[0] as `python script.py` sets them."""
    sys.path[0] = os.path.dirname(os.path.realpath(script))


def prepare_module():
    sys.path[0] = os.getcwd()


def compile_script(script):
    try:
        with io.open_code(os.path.abspath(script)) as f:
            source = f.read()
    except OSError as exc:
        shown = os.path.abspath(script) if sys.version_info >= (3, 9) else script
        raise ScriptNotFound("%s: can't open file %r: [Errno %d] %s"
                             % (sys.executable, shown, exc.errno, exc.strerror))
    # Since 3.9 __main__.__file__ (and so every traceback) is absolute.
    filename = os.path.abspath(script) if sys.version_info >= (3, 9) else script
    return filename, compile(source, filename, "exec", dont_inherit=True)


def run_script(filename, code):
    main = fresh_main_module()
    main.__file__ = filename
    main.__loader__ = SourceFileLoader("__main__", filename)
    main.__spec__ = None
    main.__package__ = None
    main.__cached__ = None
    main.__doc__ = None
    exec(code, main.__dict__)


def run_module(module):
    import runpy
    fresh_main_module()
    # What `python -m` calls; it runs the module in sys.modules["__main__"].__dict__.
    runpy._run_module_as_main(module, alter_argv=True)
