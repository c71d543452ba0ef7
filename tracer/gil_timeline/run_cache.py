"""What race mode builds per code object and run (thread, short stack, cells): run plans, and the
settrace trace functions over them. Each closure a factory makes brings its own cells, so a program
that makes many would grow these without bound (20k closures cost 140 MB on 3.8): past LIMIT runs of
one code, that code's runs are forgotten and rebuilt when used again."""


class RunCache:
    LIMIT = 256

    def __init__(self):
        self._codes = {}  # id(code) -> {run: value}; the codes are kept alive by Races.plan

    def get(self, code_id, run):
        runs = self._codes.get(code_id)
        return runs.get(run) if runs is not None else None

    def put(self, code_id, run, value):
        runs = self._codes.get(code_id)
        if runs is None:
            runs = self._codes[code_id] = {}
        elif len(runs) >= self.LIMIT:
            runs.clear()
        runs[run] = value
        return value
