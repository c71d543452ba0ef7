"""Which code is traced at fine grain: files under the scope folders, never the standard
library, site-packages or the tracer itself."""
import os
import sysconfig

_TRACER_DIR = os.path.dirname(os.path.abspath(__file__))


def _library_dirs():
    paths = sysconfig.get_paths()
    dirs = {os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    return tuple(d.rstrip(os.sep) + os.sep for d in dirs)


class Scope:
    def __init__(self, folders):
        self.folders = [os.path.abspath(f) for f in folders]
        self._prefixes = tuple(f.rstrip(os.sep) + os.sep for f in self.folders)
        self._excluded = _library_dirs() + (_TRACER_DIR + os.sep,)
        self._files = {}
        self.codes = {}

    def file(self, filename):
        hit = self._files.get(filename)
        if hit is None:
            hit = self._decide(filename)
            self._files[filename] = hit
        return hit

    def code(self, code):
        # Keyed by id(): hashing a code object hashes its bytecode and constants (microseconds).
        # The entry keeps the code alive, so its id cannot be reused by another one.
        entry = self.codes.get(id(code))
        if entry is not None and entry[0] is code:
            return entry[1]
        hit = self.file(code.co_filename)
        self.codes[id(code)] = (code, hit)
        return hit

    def _decide(self, filename):
        if not filename or filename.startswith("<"):
            return False
        path = os.path.abspath(filename)
        real = os.path.realpath(path)
        if real.startswith(self._excluded) or path.startswith(self._excluded):
            return False
        return path.startswith(self._prefixes) or real.startswith(self._prefixes)


def is_tracer_file(filename):
    return os.path.abspath(filename).startswith(_TRACER_DIR + os.sep)
