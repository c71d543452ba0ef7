"""Which global and closure-cell names of a source file hold data (may be written while threads
run), found once per file with `ast`: names bound by assignment at module level or declared
`global`/`nonlocal` somewhere. Names bound only by def/class/import are code, not data, and
their loads are not recorded (they would flood the trace with reads that never race)."""
import ast
import linecache

_cache = {}


class FileNames:
    def __init__(self, globals_, cells):
        self.globals = globals_
        self.cells = cells


def names_of(filename):
    found = _cache.get(filename)
    if found is None:
        found = _scan(filename)
        _cache[filename] = found
    return found


def _scan(filename):
    source = "".join(linecache.getlines(filename))
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return None  # unknown: every global and cell name counts as data
    globals_, cells = set(), set()
    _module_level(tree.body, globals_)
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            globals_.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            cells.update(node.names)
    return FileNames(frozenset(globals_), frozenset(cells))


def _module_level(body, out):
    for stmt in body:
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                _names(target, out)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            _names(stmt.target, out)
            _module_level(stmt.body, out)
            _module_level(stmt.orelse, out)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    _names(item.optional_vars, out)
            _module_level(stmt.body, out)
        elif isinstance(stmt, (ast.If, ast.While)):
            _module_level(stmt.body, out)
            _module_level(stmt.orelse, out)
        elif isinstance(stmt, ast.Try):
            for part in (stmt.body, stmt.orelse, stmt.finalbody):
                _module_level(part, out)
            for handler in stmt.handlers:
                _module_level(handler.body, out)


def _names(target, out):
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            out.add(node.id)
