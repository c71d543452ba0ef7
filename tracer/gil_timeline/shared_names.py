"""Which global and closure-cell names of a source file hold data (may be written while threads
run), found once per file with `ast`: names bound by assignment at module level or declared
`global`/`nonlocal` somewhere. Names bound only by def/class/import are code, not data, and
their loads are not recorded (they would flood the trace with reads that never race).
Also, with `symtable`, which function defines each closure's free variables, so a cell is named
as the user would (`hits in make_counter`)."""
import ast
import linecache
import symtable

_cache = {}


class FileNames:
    def __init__(self, globals_, cells, definers):
        self.globals = globals_
        self.cells = cells
        # (function name, `def` line) -> {free variable: the function that defines it}
        self.definers = definers

    def definer(self, code, name):
        """The function that defines free variable `name` of `code`, or None. A decorated function's
        code starts at its first decorator: the nearest `def` of that name at or below that line."""
        best = None
        for (function, line), frees in self.definers.items():
            if function == code.co_name and line >= code.co_firstlineno and name in frees:
                if best is None or line < best[0]:
                    best = (line, frees[name])
        return best[1] if best else None


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
    return FileNames(frozenset(globals_), frozenset(cells), _definers(source, filename))


def _definers(source, filename):
    try:
        top = symtable.symtable(source, filename, "exec")
    except (SyntaxError, ValueError):
        return {}
    found = {}
    stack = [(top, [])]
    while stack:
        table, enclosing = stack.pop()
        inner = enclosing
        if table.get_type() == "function":
            frees = {}
            for symbol in table.get_symbols():
                if symbol.is_free():
                    owner = _defining(enclosing, symbol.get_name())
                    if owner is not None:
                        frees[symbol.get_name()] = owner
            if frees:
                found[(table.get_name(), table.get_lineno())] = frees
            inner = enclosing + [table]
        stack.extend((child, inner) for child in table.get_children())
    return found


def _defining(enclosing, name):
    """The innermost enclosing function where `name` is a local (a cell there), not passed through."""
    for table in reversed(enclosing):
        try:
            symbol = table.lookup(name)
        except KeyError:
            continue
        if symbol.is_local() and not symbol.is_free():
            return table.get_name()
    return None


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
