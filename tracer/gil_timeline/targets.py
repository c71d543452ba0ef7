"""Find where a Python file creates threads or processes, and the functions they run.

Run by the extension with the user's own interpreter so the file is parsed by the grammar of the
Python it will run on (stdlib only, CPython 3.8-3.13):

    python targets.py FILE            parse FILE
    python targets.py --stdin FILE    parse the source given on stdin (an unsaved editor), named FILE

Prints one JSON object: {"file", "sites": [...], "error": null | {type, message, line, column}}.
Each site is a place a lens belongs on:
  kind "call": a call that starts a thread or process (Thread(target=f), executor.submit(f), ...);
  kind "def":  the body such a call runs (the def it names, `run` of a Thread/Process subclass).
Lines are 1-based; columns are 0-based UTF-16 offsets, as VS Code counts them.
"""
import ast
import json
import sys

THREAD = "thread"
PROCESS = "process"

# Constructors whose `target=` (or listed positional argument) runs in a new thread or process.
CONSTRUCTORS = {
    "threading.Thread": (THREAD, "target", 1),
    "threading.Timer": (THREAD, "function", 1),
    "multiprocessing.Process": (PROCESS, "target", 1),
    "multiprocessing.context.Process": (PROCESS, "target", 1),
}
# Plain functions that run their first (or given) positional argument elsewhere.
FUNCTIONS = {
    "asyncio.to_thread": (THREAD, 0),
    "_thread.start_new_thread": (THREAD, 0),
    "_thread.start_new": (THREAD, 0),
}
# Factories of objects whose methods run a function in worker threads or processes.
POOLS = {
    "concurrent.futures.ThreadPoolExecutor": THREAD,
    "concurrent.futures.thread.ThreadPoolExecutor": THREAD,
    "concurrent.futures.ProcessPoolExecutor": PROCESS,
    "concurrent.futures.process.ProcessPoolExecutor": PROCESS,
    "multiprocessing.Pool": PROCESS,
    "multiprocessing.pool.Pool": PROCESS,
    "multiprocessing.pool.ThreadPool": THREAD,
    "multiprocessing.dummy.Pool": THREAD,
}
POOL_METHODS = {
    "submit", "map", "starmap", "imap", "imap_unordered", "apply", "apply_async",
    "map_async", "starmap_async",
}
# Base classes whose `run` method is the body of a thread or process.
RUN_BASES = {"threading.Thread": THREAD, "multiprocessing.Process": PROCESS,
             "multiprocessing.context.Process": PROCESS}
CONTEXT_METHODS = {"Process": "multiprocessing.Process", "Pool": "multiprocessing.Pool"}


def utf16_column(lines, lineno, byte_col):
    """ast columns are UTF-8 byte offsets; VS Code positions count UTF-16 code units."""
    if lineno - 1 >= len(lines):
        return byte_col
    prefix = lines[lineno - 1][:byte_col].decode("utf-8", "replace")
    return len(prefix.encode("utf-16-le")) // 2


class Scope:
    def __init__(self, node, qualname, parent):
        self.node = node
        self.qualname = qualname
        self.parent = parent
        self.functions = {}  # name -> FunctionDef defined directly in this scope

    def is_class(self):
        return isinstance(self.node, ast.ClassDef)

    def child_prefix(self):
        if self.node is None:
            return ""
        return self.qualname + (".<locals>." if not self.is_class() else ".")


class Finder(ast.NodeVisitor):
    def __init__(self, lines):
        self.lines = lines
        self.aliases = {}  # local name -> dotted name it stands for
        self.pools = {}  # local name or "self.attr" -> THREAD/PROCESS
        self.calls = []  # (call node, spawns, api, target expr, scope)
        self.run_defs = []  # (FunctionDef, qualname, spawns, api)
        self.qualnames = {}  # id(FunctionDef) -> qualname
        self.scopes = {}  # id(FunctionDef/ClassDef) -> its Scope
        self.classes = {}  # class name -> its Scope (for methods as targets)
        self.scope = Scope(None, "", None)

    # ---- names -----------------------------------------------------------------------------
    def dotted(self, node):
        """The dotted name an expression stands for, aliases resolved: `th.Thread` -> threading.Thread."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return base + "." + node.attr if base else None
        if isinstance(node, ast.Call):
            # multiprocessing.get_context("spawn").Process -> multiprocessing.Process
            base = self.dotted(node.func)
            if base in ("multiprocessing.get_context", "multiprocessing.context.get_context"):
                return "multiprocessing"
        return None

    def receiver_key(self, node):
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return node.value.id + "." + node.attr
        return None

    def visit_Import(self, node):
        for a in node.names:
            if a.asname:
                self.aliases[a.asname] = a.name
            else:
                top = a.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node):
        if node.module and not node.level:
            for a in node.names:
                self.aliases[a.asname or a.name] = node.module + "." + a.name

    # ---- scopes ----------------------------------------------------------------------------
    def enter(self, node):
        qual = self.scope.child_prefix() + node.name
        scope = Scope(node, qual, self.scope)
        self.scopes[id(node)] = scope
        if isinstance(node, ast.ClassDef):
            self.classes.setdefault(node.name, scope)
        else:
            self.qualnames[id(node)] = qual
            self.scope.functions[node.name] = node
        self.scope = scope
        self.generic_visit(node)
        self.scope = scope.parent

    def visit_FunctionDef(self, node):
        self.enter(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        spawns, api = None, None
        for base in node.bases:
            name = self.dotted(base)
            if name in RUN_BASES:
                spawns, api = RUN_BASES[name], name
            elif isinstance(base, ast.Name) and base.id in self.classes:
                inherited = getattr(self.classes[base.id].node, "gil_run_base", None)
                if inherited:
                    spawns, api = inherited
        if spawns:
            node.gil_run_base = (spawns, api)
        self.enter(node)
        if spawns:
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "run":
                    self.run_defs.append((item, self.qualnames[id(item)], spawns, api))

    # ---- pools bound to names --------------------------------------------------------------
    def pool_kind(self, value):
        if isinstance(value, ast.Call):
            name = self.dotted(value.func)
            if name in POOLS:
                return POOLS[name]
            if name and name.startswith("multiprocessing.") and name.endswith(".Pool"):
                return PROCESS
        return None

    def visit_Assign(self, node):
        kind = self.pool_kind(node.value)
        if kind:
            for t in node.targets:
                key = self.receiver_key(t)
                if key:
                    self.pools[key] = kind
        self.generic_visit(node)

    def visit_With(self, node):
        for item in node.items:
            kind = self.pool_kind(item.context_expr)
            key = self.receiver_key(item.optional_vars) if item.optional_vars is not None else None
            if kind and key:
                self.pools[key] = kind
        self.generic_visit(node)

    visit_AsyncWith = visit_With

    # ---- calls -----------------------------------------------------------------------------
    def visit_Call(self, node):
        self.classify(node)
        self.generic_visit(node)

    def classify(self, node):
        name = self.dotted(node.func)
        if name and name.startswith("multiprocessing.") and name.split(".")[-1] in CONTEXT_METHODS:
            name = CONTEXT_METHODS[name.split(".")[-1]]
        if name in CONSTRUCTORS:
            spawns, keyword, position = CONSTRUCTORS[name]
            target = next((k.value for k in node.keywords if k.arg == keyword), None)
            if target is None and len(node.args) > position:
                target = node.args[position]
            self.calls.append((node, spawns, name, target, self.scope))
            return
        if name in FUNCTIONS:
            spawns, position = FUNCTIONS[name]
            target = node.args[position] if len(node.args) > position else None
            self.calls.append((node, spawns, name, target, self.scope))
            return
        if isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method == "run_in_executor" and len(node.args) >= 2:
                self.calls.append((node, THREAD, "loop.run_in_executor", node.args[1], self.scope))
                return
            if method in POOL_METHODS and node.args:
                key = self.receiver_key(node.func.value)
                kind = self.pools.get(key) if key else None
                if kind is None and isinstance(node.func.value, ast.Call):
                    kind = self.pool_kind(node.func.value)  # ThreadPoolExecutor().submit(f)
                if kind is None and method == "submit":
                    kind = THREAD  # an executor we cannot see being made (a parameter)
                if kind:
                    self.calls.append((node, kind, "executor." + method, node.args[0], self.scope))

    # ---- targets ---------------------------------------------------------------------------
    def resolve(self, target, scope):
        """The FunctionDef (or Lambda) a target expression names, when this file defines it."""
        while isinstance(target, ast.Call) and self.dotted(target.func) in ("functools.partial", "partial"):
            if not target.args:
                return None
            target = target.args[0]
        if isinstance(target, ast.Lambda):
            return target
        if isinstance(target, ast.Name):
            s = scope
            while s is not None:
                if not s.is_class() and target.id in s.functions:
                    return s.functions[target.id]
                s = s.parent
            return None
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            owner = target.value.id
            if owner in ("self", "cls"):
                s = scope
                while s is not None and not s.is_class():
                    s = s.parent
                if s is not None and target.attr in s.functions:
                    return s.functions[target.attr]
            if owner in self.classes and target.attr in self.classes[owner].functions:
                return self.classes[owner].functions[target.attr]
            methods = [c.functions[target.attr] for c in self.classes.values() if target.attr in c.functions]
            if len(methods) == 1:  # obj.work where exactly one class defines work
                return methods[0]
        return None

    def position(self, node):
        return {
            "line": node.lineno,
            "column": utf16_column(self.lines, node.lineno, node.col_offset),
            "endLine": node.end_lineno,
            "endColumn": utf16_column(self.lines, node.end_lineno, node.end_col_offset),
        }

    def site(self, kind, node, spawns, api, fn):
        site = {"kind": kind, "spawns": [spawns], "apis": [api], "callLines": []}
        site.update(self.position(node))
        site.update(self.describe(fn))
        return site

    def merge(self, site, spawns, api):
        if spawns not in site["spawns"]:
            site["spawns"].append(spawns)
        if api not in site["apis"]:
            site["apis"].append(api)

    def sites(self):
        out = []
        defs = {}  # id(def) -> its site: several calls of one function give one def lens
        for call, spawns, api, target, scope in self.calls:
            fn = self.resolve(target, scope) if target is not None else None
            if fn is None and target is not None:
                fn = target  # named but defined elsewhere: keep its name
            out.append(self.site("call", call, spawns, api, fn))
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                entry = defs.get(id(fn))
                if entry is None:
                    entry = defs[id(fn)] = self.site("def", fn, spawns, api, fn)
                    out.append(entry)
                self.merge(entry, spawns, api)
                entry["callLines"].append(call.lineno)
        for fn, _qual, spawns, api in self.run_defs:
            out.append(self.site("def", fn, spawns, api + ".run", fn))
        out.sort(key=lambda s: (s["line"], s["column"], s["kind"]))
        return out

    def describe(self, fn):
        """function: the qualified name the tracer reports for the thread's target (null when the
        file does not define it); name: what the user wrote; targetLine: where it is defined."""
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return {"function": self.qualnames[id(fn)], "name": fn.name, "targetLine": fn.lineno}
        if isinstance(fn, ast.Lambda):
            return {"function": "<lambda>", "name": "<lambda>", "targetLine": fn.lineno}
        expr = self.dotted(fn) if isinstance(fn, (ast.Name, ast.Attribute)) else None
        return {"function": None, "name": expr.split(".")[-1] if expr else None, "targetLine": None}


def find_sites(source, path):
    if isinstance(source, str):
        source = source.encode("utf-8")
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        return {"file": path, "sites": [], "error": {
            "type": type(e).__name__, "message": e.msg or str(e), "line": e.lineno, "column": e.offset}}
    except ValueError as e:  # null bytes in the source
        return {"file": path, "sites": [], "error": {
            "type": type(e).__name__, "message": str(e), "line": None, "column": None}}
    finder = Finder(source.split(b"\n"))
    finder.visit(tree)
    return {"file": path, "sites": finder.sites(), "error": None}


def main(argv):
    if len(argv) == 2 and argv[0] == "--stdin":
        path, source = argv[1], sys.stdin.buffer.read()
    elif len(argv) == 1:
        path = argv[0]
        with open(path, "rb") as f:
            source = f.read()
    else:
        sys.stderr.write("usage: targets.py [--stdin] FILE\n")
        return 2
    sys.stdout.write(json.dumps(find_sites(source, path)))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
