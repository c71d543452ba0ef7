"""Command line: [options] (script.py | -m module) [--] [script args...]"""

USAGE = ("usage: python tracer/gil_timeline --out FILE [--switch-interval S] [--scope DIR]... "
         "[--no-races] [--flush-ms N] [--max-events N] [--sample-us N] [--parent-pid PID] (script.py | -m module) [--] [args...]")


class UsageError(Exception):
    pass


class Options:
    def __init__(self):
        self.out = None
        self.switch_interval = None
        self.scope = []
        self.races = True
        self.flush_ms = 200
        self.max_events = 0
        self.sample_us = 1000  # the syscall sampler's period (sampler.py); 0 turns it off
        self.parent_pid = None  # the launcher: the program is stopped when it goes away (orphans.py)
        self.script = None
        self.module = None
        self.args = []


_VALUED = {"--out", "--switch-interval", "--scope", "--flush-ms", "--max-events", "--sample-us", "--parent-pid"}


def parse(argv):
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, inline = arg.partition("=")
        if name in _VALUED:
            if eq:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                raise UsageError("%s needs a value" % name)
            _set(opts, name, value)
        elif arg == "--no-races":
            opts.races = False
        elif arg == "-m":
            if i + 1 >= len(argv):
                raise UsageError("-m needs a module name")
            opts.module = argv[i + 1]
            i += 2
            break
        elif arg == "--":
            if i + 1 >= len(argv):
                raise UsageError("no script given")
            opts.script = argv[i + 1]
            i += 2
            break
        elif arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %s" % arg)
        else:
            opts.script = arg
            i += 1
            break
        i += 1
    else:
        raise UsageError("no script given")
    rest = argv[i:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    opts.args = rest
    if not opts.out:
        raise UsageError("--out FILE is required")
    return opts


def _set(opts, name, value):
    try:
        if name == "--out":
            opts.out = value
        elif name == "--switch-interval":
            opts.switch_interval = float(value)
            if opts.switch_interval <= 0:
                raise ValueError(value)
        elif name == "--scope":
            opts.scope.append(value)
        elif name == "--flush-ms":
            opts.flush_ms = int(value)
        elif name == "--max-events":
            opts.max_events = int(value)
        elif name == "--sample-us":
            opts.sample_us = int(value)
            if opts.sample_us < 0:
                raise ValueError(value)
        elif name == "--parent-pid":
            opts.parent_pid = int(value)
            if opts.parent_pid <= 0:
                raise ValueError(value)
    except ValueError:
        raise UsageError("bad value for %s: %r" % (name, value)) from None
