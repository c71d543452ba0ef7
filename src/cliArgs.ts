// Command-line parsing for `gil-timeline`. Options are a table so new ones (--fail-on-race,
// --chrome, --html) are one line each; the script and everything after it belong to the script.

export interface TraceArgs {
  command: "trace";
  python?: string;
  out?: string;
  json?: string;
  switchInterval?: number;
  timeoutS?: number;
  /** The tracer's event limit: past it the trace keeps the head, the tail and race-relevant records. */
  maxEvents?: number;
  races: boolean;
  /** Exit 1 when any race point is found (lab grading), whatever the script's exit code. */
  failOnRace?: boolean;
  /** Write the trace as Chrome Trace Event JSON (Perfetto, chrome://tracing) to this file. */
  chrome?: string;
  /** Write a self-contained HTML report (timeline, summary, race explainers) to this file. */
  html?: string;
  /** Race stress: run the script this many times at a tiny switch interval and compare the runs. */
  stress?: number;
  script?: string;
  module?: string;
  args: string[];
}

export interface SummaryArgs {
  command: "summary";
  trace: string;
  json?: string;
  chrome?: string;
  html?: string;
}

export type CliArgs = TraceArgs | SummaryArgs | { command: "help" };

export class UsageError extends Error {}

type Setter = (a: TraceArgs, value: string) => void;

const positive = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} needs a positive number of seconds, not "${v}"`);
  return n;
};

/** Options that take a value. */
const VALUE_OPTIONS: Record<string, Setter> = {
  "--python": (a, v) => (a.python = v),
  "--out": (a, v) => (a.out = v),
  "--json": (a, v) => (a.json = v),
  "--chrome": (a, v) => (a.chrome = v),
  "--html": (a, v) => (a.html = v),
  "--stress": (a, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--stress needs a whole number of runs, not "${v}"`);
    a.stress = n;
  },
  "--switch-interval": (a, v) => (a.switchInterval = positive("--switch-interval", v)),
  "--timeout": (a, v) => (a.timeoutS = positive("--timeout", v)),
  "--max-events": (a, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-events needs a whole number of events, not "${v}"`);
    a.maxEvents = n;
  },
};

/** Flags. */
const FLAG_OPTIONS: Record<string, (a: TraceArgs) => void> = {
  "--no-races": (a) => (a.races = false),
  "--fail-on-race": (a) => (a.failOnRace = true),
};

export const USAGE = `usage:
  gil-timeline trace [options] script.py [args...]
  gil-timeline trace [options] -m module [args...]
  gil-timeline summary TRACE [--json FILE] [--chrome FILE] [--html FILE]

trace options:
  --python PATH            interpreter to trace with (default: python3, then python on PATH)
  --out FILE               keep the raw trace in FILE
  --json FILE              write the JSON summary (docs/summary-schema.json) to FILE; "-" for stdout
                           (the script's own stdout then goes to stderr, so stdout holds only JSON)
  --chrome FILE            write Chrome Trace Event JSON (open in Perfetto or chrome://tracing) to FILE
  --html FILE              write a self-contained HTML report (timeline, summary, race explainers) to FILE
  --stress N               race stress: run the script N times (switch interval 1e-6 s unless
                           --switch-interval is given) and report how often the output differed and
                           in how many runs each race point appeared; --json writes that report
  --switch-interval S      sys.setswitchinterval(S) in the traced program
  --timeout S              kill the program's process tree after S seconds; the partial trace is kept
  --max-events N           keep at most N events: the run's first half, its last quarter and the
                           race-relevant events between them (the summary says what was dropped)
  --no-races               do not record shared-state accesses (faster; no race points)
  --fail-on-race           exit 1 when any race point is found (for lab grading)
  --                       everything after it goes to the script

The readable summary goes to stderr; the exit code is the script's (1 with --fail-on-race and a race point).
With --stress the exit code is 0, or 1 with --fail-on-race when any run had a race point.
`;

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command === "summary") return parseSummary(rest);
  if (command === "trace") return parseTrace(rest);
  throw new UsageError(`unknown command "${command}"`);
}

function parseSummary(rest: string[]): CliArgs {
  if (rest.includes("--help") || rest.includes("-h")) return { command: "help" };
  const out: SummaryArgs = { command: "summary", trace: "" };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--json" || rest[i] === "--chrome" || rest[i] === "--html") {
      if (i + 1 >= rest.length) throw new UsageError(`${rest[i]} needs a value`);
      if (rest[i] === "--json") out.json = rest[++i];
      else if (rest[i] === "--chrome") out.chrome = rest[++i];
      else out.html = rest[++i];
    } else if (rest[i].startsWith("-") && rest[i] !== "-") throw new UsageError(`unknown option ${rest[i]}`);
    else if (out.trace) throw new UsageError("summary takes one trace file");
    else out.trace = rest[i];
  }
  if (!out.trace) throw new UsageError("summary needs a trace file");
  return out;
}

function parseTrace(rest: string[]): CliArgs {
  const out: TraceArgs = { command: "trace", races: true, args: [] };
  let i = 0;
  for (; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--help" || arg === "-h") return { command: "help" };
    if (arg === "--") {
      i++;
      break;
    }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const setter = VALUE_OPTIONS[name];
    if (setter) {
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      setter(out, value);
    } else if (FLAG_OPTIONS[name]) FLAG_OPTIONS[name](out);
    else if (arg === "-m") {
      if (i + 1 >= rest.length) throw new UsageError("-m needs a module name");
      out.module = rest[++i];
      i++;
      break;
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else break;
  }
  if (!out.module) {
    if (i >= rest.length) throw new UsageError("trace needs a script (or -m module)");
    out.script = rest[i++];
  }
  out.args = rest.slice(i).filter((a, k) => !(k === 0 && a === "--"));
  // Stress makes N traces; the options that write one trace's files would have to pick one.
  const oneTrace = (["out", "chrome", "html"] as const).find((k) => out.stress !== undefined && out[k] !== undefined);
  if (oneTrace) throw new UsageError(`--stress cannot be combined with --${oneTrace}`);
  if (out.stress !== undefined && !out.races) throw new UsageError("--stress counts race points: it cannot be combined with --no-races");
  return out;
}
