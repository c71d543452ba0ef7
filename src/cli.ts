// The `gil-timeline` CLI: trace a script (or summarise a saved trace) and print what the GIL did.
// bin/gil-timeline.js calls main(); the exit code is the traced script's, for grading scripts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { USAGE, UsageError, parseArgs, type TraceArgs } from "./cliArgs";
import { chooseInterpreter } from "./run/interpreter";
import { runTracer, type RunResult } from "./run/runTracer";
import { runSummary } from "./run/runSummary";
import { decodeTrace } from "./trace/decode";
import { buildModel } from "./trace/model";
import { summarize, type TraceSummary } from "./trace/summary";
import { summaryText } from "./trace/summaryText";
import { raceText } from "./trace/raceText";
import { timeoutText } from "./trace/deadlockText";
import { chromeTraceJson } from "./trace/chromeTrace";
import { COMPARE_USAGE, compareCommand } from "./cliCompare";
import type { TraceModel } from "./trace/types";
import { stressReport, stressText, type StressRun } from "./trace/stress";
import { stressRuns, STRESS_SWITCH_INTERVAL_S } from "./run/stressRuns";
import { htmlReport } from "./report/htmlReport";
import { readReportAssets } from "./report/assets";
import { reportData, type ReportOptions } from "./report/fromModel";

// The pure pieces, for bench/run.mjs and other Node tools that load the bundle.
export { TraceDecoder, decodeTrace } from "./trace/decode";
export { buildModel, ModelBuilder } from "./trace/model";
export { summarize } from "./trace/summary";
export { runTracer } from "./run/runTracer";
export { findPythons } from "./run/pythons";


export async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === "compare") return await compareCommand(argv.slice(1));
    const args = parseArgs(argv);
    if (args.command === "help") {
      process.stdout.write(`${USAGE}\n${COMPARE_USAGE}`);
      return 0;
    }
    if (args.command === "summary") {
      const model = buildModel(decodeTrace(readFileSync(args.trace)));
      const summary = summarize(model);
      report(summary, args.json);
      if (args.chrome) writeFileSync(args.chrome, chromeTraceJson(model));
      if (args.html) writeHtml(args.html, model, { title: basename(args.trace), summary });
      // A damaged tail still summarises what came before it; nothing readable at all is a failure.
      return model.problem && model.processes.length === 0 ? 1 : 0;
    }
    return await (args.stress !== undefined ? stress(args, args.stress) : trace(args));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`gil-timeline: ${message}\n${e instanceof UsageError ? `\n${argv[0] === "compare" ? `usage:\n${COMPARE_USAGE}` : USAGE}` : ""}`);
    return 2;
  }
}

async function trace(args: TraceArgs): Promise<number> {
  const python = chooseInterpreter(args.python);
  const tempDir = args.out ? null : mkdtempSync(join(tmpdir(), "gil-timeline-"));
  const out = args.out ? resolve(args.out) : join(tempDir ?? "", "trace.gtl");
  const jsonToStdout = args.json === "-";
  const abort = new AbortController();
  const interrupt = new AbortController();
  // The child has its own process group, so Ctrl-C at the terminal reaches only us: pass it on as
  // SIGINT (the script gets its KeyboardInterrupt, as untraced); a second Ctrl-C kills the tree.
  const onSigint = () => (interrupt.signal.aborted ? abort.abort() : interrupt.abort());
  process.on("SIGINT", onSigint);
  // The script's stdout: ours (or stderr, with --json -). When its reader goes (`| head`), the
  // program is told by a broken pipe of its own, as untraced; nothing is written there again.
  const [scriptStdout, other] = jsonToStdout ? [process.stderr, process.stdout] : [process.stdout, process.stderr];
  const stdoutGone = new AbortController();
  scriptStdout.on("error", () => stdoutGone.abort());
  other.on("error", () => undefined); // the summary's reader has gone: nothing to tell it
  let result: RunResult;
  // The report shows the program's output; keep it only when one is written.
  const output: Buffer[] | null = args.html ? [] : null;
  try {
    result = await runTracer({
      python: python.executable,
      script: args.script,
      module: args.module,
      args: args.args,
      out,
      switchInterval: args.switchInterval,
      timeoutS: args.timeoutS,
      races: args.races ? undefined : false,
      maxEvents: args.maxEvents,
      stdin: process.stdin,
      onStdout: (d) => {
        output?.push(d);
        if (!stdoutGone.signal.aborted) scriptStdout.write(d);
      },
      onStderr: (d) => process.stderr.write(d),
      signal: abort.signal,
      interrupt: interrupt.signal,
      stdoutGone: stdoutGone.signal,
    });
  } finally {
    process.off("SIGINT", onSigint);
    process.stdin.destroy();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
  const summary = runSummary(result, python);
  if (result.timedOut) process.stderr.write(timeoutText(args.timeoutS, summary.deadlocks));
  if (result.cancelled) process.stderr.write("gil-timeline: cancelled; the process tree was killed\n");
  report(summary, args.json);
  if (args.chrome) writeFileSync(args.chrome, chromeTraceJson(result.model));
  if (args.html) {
    const title = basename(args.script ?? args.module ?? "trace");
    writeHtml(args.html, result.model, { title, summary, output: output ? Buffer.concat(output).toString("utf8") : null });
  }
  if (args.failOnRace && summary.races.length > 0) return 1;
  if (result.exitCode !== null) return result.exitCode;
  return 128 + (result.signal ? constants.signals[result.signal] : constants.signals.SIGTERM);
}

function writeHtml(file: string, model: TraceModel, o: ReportOptions): void {
  writeFileSync(file, htmlReport(reportData(model, o), readReportAssets()));
}

/** --stress N: N traced runs one after another; the stress report instead of one run's summary. */
async function stress(args: TraceArgs, runs: number): Promise<number> {
  const python = chooseInterpreter(args.python);
  const switchInterval = args.switchInterval ?? STRESS_SWITCH_INTERVAL_S;
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on("SIGINT", onSigint);
  let results: StressRun[];
  try {
    results = await stressRuns({
      python: python.executable,
      script: args.script,
      module: args.module,
      args: args.args,
      runs,
      switchInterval,
      timeoutS: args.timeoutS,
      signal: abort.signal,
      onRun: (i) => process.stderr.write(`gil-timeline: stress run ${i} of ${runs}\n`),
      onStderr: (d) => process.stderr.write(d),
    });
  } finally {
    process.off("SIGINT", onSigint);
    process.stdin.destroy();
  }
  if (abort.signal.aborted) process.stderr.write(`gil-timeline: cancelled after ${results.length} complete run(s)\n`);
  const r = stressReport(results, switchInterval);
  process.stderr.write(`\n── GIL Timeline ──\n${stressText(r)}`);
  if (args.json !== undefined) {
    const text = JSON.stringify(r, null, 2) + "\n";
    if (args.json === "-") process.stdout.write(text);
    else writeFileSync(args.json, text);
  }
  if (abort.signal.aborted) return 130;
  return args.failOnRace && r.racePoints.length > 0 ? 1 : 0;
}

/** The readable summary on stderr (stdout stays the script's), the JSON where --json says. */
function report(summary: TraceSummary, json: string | undefined): void {
  process.stderr.write(`\n── GIL Timeline ──\n${summaryText(summary)}${raceText(summary.races)}`);
  if (json === undefined) return;
  const text = JSON.stringify(summary, null, 2) + "\n";
  if (json === "-") process.stdout.write(text);
  else writeFileSync(json, text);
}
