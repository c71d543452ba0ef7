"""Patch a module the moment it is imported (or now, if it already is), so the tracer does not
import modules the program never uses."""
import sys


class _PatchingLoader:
    def __init__(self, loader, patches):
        self._loader = loader
        self._patches = patches

    def create_module(self, spec):
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        self._loader.exec_module(module)
        for patch in self._patches:
            patch(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Finder:
    def __init__(self):
        self.pending = {}  # module name -> patches to apply once it is imported

    def find_spec(self, name, path=None, target=None):
        patches = self.pending.get(name)
        if patches is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        del self.pending[name]
        spec.loader = _PatchingLoader(spec.loader, patches)
        return spec


_finder = _Finder()


def when_imported(name, patch):
    module = sys.modules.get(name)
    if module is not None:
        patch(module)
        return
    _finder.pending.setdefault(name, []).append(patch)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
