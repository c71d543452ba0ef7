"""JSON text for the trace's JSON chunks and strings, without importing `json` (its decoder
compiles regular expressions at import, a noticeable part of the tracer's start-up)."""

# Control characters, the two JSON specials, and lone surrogates (from file names decoded with
# surrogateescape) as escapes; everything else as UTF-8.
_ESCAPES = {i: "\\u%04x" % i for i in range(0x20)}
_ESCAPES.update({i: "\\u%04x" % i for i in range(0xD800, 0xE000)})
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"})


def dumps(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "null"
    if isinstance(value, str):
        return '"' + value.translate(_ESCAPES) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(dumps(str(k)) + ":" + dumps(v) for k, v in value.items()) + "}"
    return dumps(str(value))
