// Issue 6, "transparency against a real test suite": CPython's own threading test suites run
// under plain Python and under the tracer (timeline mode = --no-races, race mode = default), and
// their results are compared test by test. `npm run test:compat -- [options]`:
//   --python 3.12      only these minor versions (repeatable; default 3.11, 3.12, 3.13)
//   --suite test_queue only these suites (repeatable)
//   --mode races       only this tracer mode: timeline | races (repeatable; default both)
//   --timeout 1200     seconds per run before its process group is killed
//   --jobs 2           runs at a time (the suites are timing-sensitive: keep it at the core count)
//   --tracer DIR       the gil_timeline package to run (default: this repo's tracer/gil_timeline)
//   --keep DIR         keep every run's output and trace there
//   --json FILE        write the comparison as JSON
// Exits 1 when a test's result differs (and the difference reproduces when the test is run
// again alone) without an entry in test/compat/known-differences.json.
import { spawn, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseVerbose } from "./results.mjs";
import { compareRuns, explainedBy } from "./compare.mjs";

const root = resolve(fileURLToPath(import.meta.url), "../../..");
const SUITES = ["test_concurrent_futures", "test_threading", "test_queue", "test_thread", "test_threading_local"];
const MINORS = [11, 12, 13];
const MODES = { timeline: ["--no-races"], races: [] };

function options(argv) {
  const many = (name) => argv.flatMap((a, i) => (a === `--${name}` && i + 1 < argv.length ? [argv[i + 1]] : []));
  const one = (name, dflt) => many(name).at(-1) ?? dflt;
  const o = {
    minors: many("python").map((v) => Number(v.split(".")[1])),
    suites: many("suite"),
    modes: many("mode"),
    timeoutS: Number(one("timeout", "1200")),
    jobs: Number(one("jobs", "2")),
    tracer: resolve(one("tracer", join(root, "tracer/gil_timeline"))),
    keep: one("keep", null),
    json: one("json", null),
  };
  if (!o.minors.length) o.minors = MINORS;
  if (!o.suites.length) o.suites = SUITES;
  if (!o.modes.length) o.modes = Object.keys(MODES);
  const bad = o.modes.filter((m) => !(m in MODES));
  if (bad.length || !(o.timeoutS > 0) || !(o.jobs >= 1) || !existsSync(join(o.tracer, "__main__.py"))) {
    console.error(`bad options (modes ${bad.join(",")}, timeout ${o.timeoutS}, jobs ${o.jobs}, tracer ${o.tracer})`);
    process.exit(2);
  }
  return o;
}

/** Suites this interpreter ships (Debian's /usr/bin/python3.11 ships none: libpython3.11-testsuite). */
function suitesOf(python, wanted) {
  return wanted.filter((s) => {
    try {
      execFileSync(python, ["-c", `import test.${s}`], { stdio: "ignore", timeout: 60_000 });
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The tracer never traces the standard library at fine grain (tracer/gil_timeline/scope.py), and
 * the test package lives there. A copy of it outside the standard library, in the run's working
 * directory, is what `-m test` imports (sys.path[0] is the working directory), so the tests' own
 * code is in the tracer's scope like a user's program; plain runs use the same copy.
 */
function copyTestPackage(python, suites, into) {
  const testDir = execFileSync(python, ["-c", "import os, test; print(os.path.dirname(test.__file__))"], { encoding: "utf8" }).trim();
  const dest = join(into, "test");
  mkdirSync(dest, { recursive: true });
  const wantedDirs = new Set(["support", "libregrtest", ...suites]);
  for (const entry of readdirSync(testDir)) {
    const from = join(testDir, entry);
    const isDir = statSync(from).isDirectory();
    if (isDir ? wantedDirs.has(entry) : entry.endsWith(".py")) {
      cpSync(from, join(dest, entry), { recursive: true, filter: (src) => !src.includes("__pycache__") });
    }
  }
}

/** One `python -m test SUITE -v` (plain, or under the tracer); resolves with its output. */
function runSuite(python, cwd, suite, mode, opts, outDir, rerun) {
  const tag = `${suite}-${mode}${rerun ? `-rerun-for-${rerun.of}` : ""}`;
  const regrtest = ["-m", "test", suite, "-v", ...(rerun ? rerun.ids.flatMap((id) => ["--match", id]) : [])];
  const traceFile = join(outDir, `${tag}.trace`);
  const args = mode === "plain" ? regrtest : [opts.tracer, "--out", traceFile, ...MODES[mode], ...regrtest];
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(python, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    const chunks = [];
    child.stdout.on("data", (b) => chunks.push(b));
    child.stderr.on("data", (b) => chunks.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL"); // the whole group: regrtest's and multiprocessing's children too
      } catch {
        /* already gone */
      }
    }, opts.timeoutS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString("utf8");
      writeFileSync(join(outDir, `${tag}.txt`), output);
      const traceBytes = existsSync(traceFile) ? statSync(traceFile).size : 0;
      if (!opts.keep && existsSync(traceFile)) rmSync(traceFile);
      done({ mode, seconds: (Date.now() - t0) / 1000, code, signal, timedOut, traceBytes, ...parseVerbose(output) });
    });
  });
}

/** Runs `tasks` (functions returning promises) at most `jobs` at a time. */
async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

async function main() {
  const opts = options(process.argv.slice(2));
  const cli = createRequire(import.meta.url)(join(root, "dist/cli.js"));
  const known = JSON.parse(readFileSync(join(root, "test/compat/known-differences.json"), "utf8"));
  const hasTests = (p) => opts.minors.includes(p.minor) && suitesOf(p.executable, ["test_threading"]).length > 0;
  const pythons = cli.findPythons(hasTests).filter((p) => opts.minors.includes(p.minor));
  for (const minor of opts.minors) {
    if (!pythons.some((p) => p.minor === minor)) console.log(`3.${minor}: no interpreter with the test package found, not run`);
  }
  const work = opts.keep ? resolve(opts.keep) : mkdtempSync(join(tmpdir(), "gil-compat-"));
  const cells = [];
  const tasks = [];
  for (const py of pythons) {
    const suites = suitesOf(py.executable, opts.suites);
    for (const missing of opts.suites.filter((s) => !suites.includes(s))) console.log(`${py.version}: ${missing} not shipped, not run`);
    const cwd = join(work, `py${py.minor}`);
    copyTestPackage(py.executable, suites, cwd);
    for (const suite of suites) {
      const outDir = join(cwd, "runs");
      mkdirSync(outDir, { recursive: true });
      const cell = { python: py, suite, cwd, outDir, runs: {} };
      cells.push(cell);
      for (const mode of ["plain", ...opts.modes]) {
        tasks.push(async () => {
          let run = await runSuite(py.executable, cwd, suite, mode, opts, outDir);
          if (run.timedOut) {
            // test_concurrent_futures can hang untraced too (3.13, a forkserver shutdown test
            // under load): one more try before the run counts as hung.
            console.log(`  ${py.version} ${suite} ${mode}: timed out after ${run.seconds.toFixed(0)} s, once more`);
            run = { ...(await runSuite(py.executable, cwd, suite, mode, opts, outDir)), retried: true };
          }
          cell.runs[mode] = run;
          console.log(`  ${py.version} ${suite} ${mode}: ${run.tests.size} tests, ${run.suiteResult ?? "no result"}, ${run.seconds.toFixed(0)} s${run.timedOut ? " (TIMED OUT)" : ""}`);
        });
      }
    }
  }
  const t0 = Date.now();
  console.log(`${tasks.length} runs, ${opts.jobs} at a time; output in ${work}`);
  await pool(tasks, opts.jobs);

  // A difference counts only when it reproduces: the differing tests run again, alone, both ways.
  const reruns = [];
  for (const cell of cells) {
    for (const mode of opts.modes) {
      const diff = compareRuns(cell.runs.plain, cell.runs[mode]);
      cell[mode] = diff;
      if (!diff.differ.length) continue;
      reruns.push(async () => {
        const ids = diff.differ.map((d) => d.test.replace(/ #\d+$/, ""));
        const rerun = { ids, of: mode };
        const again = { plain: await runSuite(cell.python.executable, cell.cwd, cell.suite, "plain", opts, cell.outDir, rerun) };
        again[mode] = await runSuite(cell.python.executable, cell.cwd, cell.suite, mode, opts, cell.outDir, rerun);
        for (const d of diff.differ) {
          const p = again.plain.tests.get(d.test)?.result ?? "not run";
          const t = again[mode].tests.get(d.test)?.result ?? "not run";
          d.rerun = { plain: p, traced: t };
          d.reproduced = p !== t;
        }
      });
    }
  }
  await pool(reruns, opts.jobs);
  const minutes = (Date.now() - t0) / 60000;

  let unexplained = 0;
  const rows = [];
  for (const cell of cells) {
    for (const mode of opts.modes) {
      const diff = cell[mode];
      const plain = cell.runs.plain;
      const traced = cell.runs[mode];
      for (const d of diff.differ) {
        d.explained = explainedBy(known, cell.python.minor, cell.suite, mode, d);
        if (d.reproduced && !d.explained) unexplained++;
      }
      rows.push({
        python: cell.python.version, suite: cell.suite, mode, tests: diff.tests, same: diff.same, differ: diff.differ,
        plainSeconds: plain.seconds, tracedSeconds: traced.seconds, traceBytes: traced.traceBytes,
        plainResult: plain.suiteResult, tracedResult: traced.suiteResult,
        timedOut: plain.timedOut || traced.timedOut, plainRetried: Boolean(plain.retried), tracedRetried: Boolean(traced.retried),
      });
    }
  }
  printTable(rows);
  console.log(`\n${tasks.length} runs + ${reruns.length * 2} reruns in ${minutes.toFixed(1)} min (${opts.jobs} at a time)`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ minutes, jobs: opts.jobs, rows }, null, 2));
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
  if (unexplained) console.log(`${unexplained} unexplained difference(s): fix the tracer, or add them to test/compat/known-differences.json with the reason`);
  const hung = rows.filter((r) => r.timedOut);
  for (const r of hung) console.log(`${r.python} ${r.suite} ${r.mode}: a run hung twice, its tests cannot be compared`);
  process.exit(unexplained || hung.length ? 1 : 0);
}

function printTable(rows) {
  console.log("\n| suite | python | mode | tests | same | differ | plain s | traced s | trace MB | regrtest plain / traced |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.suite} | ${r.python} | ${r.mode} | ${r.tests} | ${r.same} | ${r.differ.length} | ${r.plainSeconds.toFixed(0)}${r.plainRetried ? " (after a hung run)" : ""} | ${r.tracedSeconds.toFixed(0)}${r.tracedRetried ? " (after a hung run)" : ""}${r.timedOut ? " (hung twice)" : ""} | ${(r.traceBytes / 1e6).toFixed(1)} | ${r.plainResult} / ${r.tracedResult} |`);
  }
  for (const r of rows) {
    for (const d of r.differ) {
      const verdict = d.explained ? `explained: ${d.explained.reason}` : d.reproduced ? "UNEXPLAINED" : `not reproduced alone (${d.rerun.plain} / ${d.rerun.traced}): timing-sensitive`;
      console.log(`  ${r.python} ${r.mode} ${d.test}: plain ${d.plain}, traced ${d.traced} -- ${verdict}`);
    }
  }
}

await main();
