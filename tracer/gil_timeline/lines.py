"""Instruction offset -> source line, per code object, computed once."""
import bisect


class LineTable:
    def __init__(self):
        self._tables = {}

    def line(self, code, offset):
        entry = self._tables.get(id(code))  # id(): hashing a code object is slow
        if entry is None or entry[0] is not code:
            entry = (code, self._build(code))
            self._tables[id(code)] = entry
        starts, lines = entry[1]
        i = bisect.bisect_right(starts, offset) - 1
        return lines[i] if i >= 0 else code.co_firstlineno

    @staticmethod
    def _build(code):
        starts, lines = [], []
        co_lines = getattr(code, "co_lines", None)
        if co_lines is not None:
            for start, _end, line in co_lines():
                starts.append(start)
                lines.append(line if line is not None else (lines[-1] if lines else code.co_firstlineno))
        else:  # 3.8/3.9
            import dis
            for start, line in dis.findlinestarts(code):
                starts.append(start)
                lines.append(line)
        return starts, lines
