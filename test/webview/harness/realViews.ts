// Real TimelineViews: a script run under the real tracer, decoded by the real model.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { buildTimelineView } from "../../../src/panel/viewModel";
import type { TimelineView } from "../../../src/protocol";
import { runTracer } from "../../../src/run/runTracer";
import { buildModel } from "../../../src/trace/model";
import type { TraceModel } from "../../../src/trace/types";
import { ROOT } from "./browser";

export const EXAMPLES = join(ROOT, "examples");

export interface RealRun {
  model: TraceModel;
  view: TimelineView;
  /** Views of the trace while it was still growing (the live panel's input). */
  partial: TimelineView[];
}

export async function traceScript(python: string, script: string, opts: { races?: boolean; live?: boolean } = {}): Promise<RealRun> {
  const dir = mkdtempSync(join(tmpdir(), "gt-webview-trace-"));
  const title = basename(script);
  const partial: TimelineView[] = [];
  try {
    const r = await runTracer({
      python,
      script,
      cwd: dirname(script),
      out: join(dir, "run.trace"),
      races: opts.races,
      pollMs: 50,
      timeoutS: 60,
      onProgress: opts.live ? ({ store }) => partial.push(buildTimelineView(buildModel(store), { title })) : undefined,
    });
    if (r.exitCode !== 0) throw new Error(`${script} exited ${r.exitCode}: ${r.stderrTail}`);
    return { model: r.model, view: buildTimelineView(r.model, { title }), partial };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function traceExample(python: string, name: string, opts: { races?: boolean; live?: boolean } = {}): Promise<RealRun> {
  return traceScript(python, join(EXAMPLES, `${name}.py`), opts);
}
