// `npm run bench`: the tracer's overhead per workload and interpreter (a ratio to the untraced run
// of the same script in the same bench run, medians of 3), and the decoder's events per second on
// a large real trace. Prints a table and writes bench/results/latest.json.
//   node bench/run.mjs [--python 3.12] [--reps N]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = createRequire(import.meta.url)(join(root, "dist", "cli.js"));
const tracer = join(root, "tracer", "gil_timeline");
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const reps = Number(option("--reps") ?? 3);
const onlyPython = option("--python");

const WORKLOADS = {
  cpu: `
import threading
counter = 0
def work(n):
    global counter
    for _ in range(n):
        counter += 1
ts = [threading.Thread(target=work, args=(500_000,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
`,
  io: `
import threading, time
def sleeper():
    for _ in range(50):
        time.sleep(0.01)
ts = [threading.Thread(target=sleeper) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
`,
  calls: `
import threading
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
ts = [threading.Thread(target=fib, args=(23,)) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
`,
  // Small methods on shared objects (the lab's bank account): race mode pays per call (the short
  // stack of callers) and per attribute access (the owner found and numbered).
  methods: `
import threading
class Account:
    def __init__(self):
        self.balance = 0
    def deposit(self, amount):
        self.balance += amount
def work(account, n):
    for _ in range(n):
        account.deposit(1)
accounts = [Account(), Account()]
ts = [threading.Thread(target=work, args=(accounts[i % 2], 100_000)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
`,
  queue: `
import queue, threading
q = queue.Queue(maxsize=100)
def producer():
    for i in range(20_000):
        q.put(i)
    q.put(None)
def consumer():
    total = 0
    while (item := q.get()) is not None:
        total += item
ts = [threading.Thread(target=producer), threading.Thread(target=consumer)]
for t in ts: t.start()
for t in ts: t.join()
`,
};

const MODES = { untraced: null, timeline: ["--no-races"], races: [] };

// Workloads are sized so the untraced run takes a few tenths of a second: the interpreter's and
// the tracer's start-up are part of what a user waits for, but should not be all of it.
// Runs `python args` under a tiny rusage wrapper (same interpreter, argument array) so each run
// gives its wall time and its CPU time: on a shared, loaded machine wall time stretches with other
// people's work, while CPU time of a CPU-bound workload stays comparable.
const RUSAGE = [
  "import resource, subprocess, sys, time",
  "t = time.perf_counter()",
  "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode",
  "wall = time.perf_counter() - t",
  "r = resource.getrusage(resource.RUSAGE_CHILDREN)",
  "print(wall, r.ru_utime + r.ru_stime)",
  "sys.exit(code)",
].join("\n");

function measure(python, args) {
  const r = spawnSync(python, ["-c", RUSAGE, python, ...args], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${python} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr.slice(-500)}`);
  const [wall, cpu] = r.stdout.trim().split(" ").map(Number);
  return { wall, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function overheads(python, dir) {
  const rows = {};
  for (const [name, source] of Object.entries(WORKLOADS)) {
    // The walrus in the queue workload needs 3.8+, which every supported interpreter has.
    const script = join(dir, `bench_${name}.py`); // not queue.py: it would shadow the stdlib module
    writeFileSync(script, source);
    const out = join(dir, `${name}.trace`);
    const wall = {};
    const cpu = {};
    for (const [mode, flags] of Object.entries(MODES)) {
      const args = flags ? [tracer, "--out", out, ...flags, script] : [script];
      const runs = Array.from({ length: reps }, () => measure(python, args));
      wall[mode] = median(runs.map((m) => m.wall));
      cpu[mode] = median(runs.map((m) => m.cpu));
    }
    rows[name] = {
      untracedS: wall.untraced,
      untracedCpuS: cpu.untraced,
      timeline: wall.timeline / wall.untraced,
      races: wall.races / wall.untraced,
      timelineCpu: cpu.timeline / cpu.untraced,
      racesCpu: cpu.races / cpu.untraced,
    };
  }
  return rows;
}

// Many records per second of Python: every lock acquire and release is recorded.
const BIG_TRACE = `
import threading
lock = threading.Lock()
def work():
    for _ in range(100_000):
        with lock:
            pass
ts = [threading.Thread(target=work) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
`;

function decoderSpeed(python, dir) {
  const script = join(dir, "bench_big.py");
  writeFileSync(script, BIG_TRACE);
  const out = join(dir, "big.trace");
  measure(python, [tracer, "--out", out, script]);
  const bytes = readFileSync(out);
  // CPU time of this process, not wall time: on a shared machine other work stretches wall time
  // while the decoder waits for a core.
  const timed = (f) => {
    const start = process.cpuUsage();
    const value = f();
    const used = process.cpuUsage(start);
    return [(used.user + used.system) / 1e6, value];
  };
  // Ten runs: the first few include V8's warm-up, so report the median and the best.
  const decodeRuns = [];
  let store = null;
  for (let i = 0; i < 10; i++) {
    const [s, value] = timed(() => cli.decodeTrace(bytes));
    decodeRuns.push(s);
    store = value;
  }
  const modelRuns = Array.from({ length: 5 }, () => timed(() => cli.buildModel(store, { races: false }))[0]);
  const raceS = timed(() => cli.buildModel(store))[0];
  return {
    python,
    traceBytes: statSync(out).size,
    events: store.count,
    decodeMedianS: median(decodeRuns),
    eventsPerS: store.count / median(decodeRuns),
    bestEventsPerS: store.count / Math.min(...decodeRuns),
    modelEventsPerS: store.count / median(modelRuns),
    modelWithRacesS: raceS,
  };
}

const pythons = cli.findPythons().filter((p) => !onlyPython || p.version.startsWith(onlyPython));
const dir = mkdtempSync(join(tmpdir(), "gil-bench-"));
const results = { date: new Date().toISOString(), reps, loadBefore: loadavg()[0], overhead: {}, decoder: null };
try {
  for (const p of pythons) {
    process.stderr.write(`bench: ${p.version} ...\n`);
    results.overhead[p.version] = overheads(p.executable, dir);
  }
  results.decoder = decoderSpeed(pythons[pythons.length - 1].executable, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

results.loadAfter = loadavg()[0];
if (Math.max(results.loadBefore, results.loadAfter) > availableParallelism()) {
  console.log(`warning: load average ${results.loadBefore.toFixed(1)} → ${results.loadAfter.toFixed(1)} on ${availableParallelism()} cores: wall-time ratios are noisy`);
}
const fmt = (x) => `${x.toFixed(2)}x`;
function table(title, timeline, races) {
  console.log(title);
  console.log(["python".padEnd(8), ...Object.keys(WORKLOADS).map((w) => w.padStart(18))].join(""));
  for (const [version, rows] of Object.entries(results.overhead)) {
    console.log([version.padEnd(8), ...Object.values(rows).map((r) => `${fmt(r[timeline])} | ${fmt(r[races])}`.padStart(18))].join(""));
  }
}
table(`Tracer overhead, wall time traced / untraced (median of ${reps}; timeline mode | race mode)`, "timeline", "races");
table(`Tracer overhead, CPU time traced / untraced (median of ${reps}; timeline mode | race mode)`, "timelineCpu", "racesCpu");
const d = results.decoder;
console.log(
  `Decoder (CPU time): ${(d.eventsPerS / 1e6).toFixed(1)} M events/s median, ${(d.bestEventsPerS / 1e6).toFixed(1)} best ` +
    `(${d.events} events, ${(d.traceBytes / 1e6).toFixed(1)} MB, median ${(d.decodeMedianS * 1000).toFixed(0)} ms); ` +
    `model without races: ${(d.modelEventsPerS / 1e6).toFixed(1)} M events/s; model with races: ${(d.modelWithRacesS * 1000).toFixed(0)} ms`,
);
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "latest.json"), JSON.stringify(results, null, 2));
