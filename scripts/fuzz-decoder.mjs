// Long decoder fuzz runs (issue 6): `npm run fuzz -- --cases 5000000 --seed 7 [--python python3]`.
// Same mutators and properties as test/trace/decodeFuzz.test.ts (test/trace/fuzz.ts), on real
// traces made by the real tracer; stops at the first violated property and prints its case number
// (rerun just that case with --seed S --from N --cases 1).
import * as esbuild from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const opt = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
};
const cases = Number(opt("cases", "1000000"));
const seed = Number(opt("seed", "1"));
const from = Number(opt("from", "0"));
const python = opt("python", "python3");
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || !Number.isInteger(from) || from < 0) {
  console.error("usage: npm run fuzz -- [--cases N] [--seed S] [--from N] [--python PATH]");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "gil-fuzz-run-"));
let failed = false;
try {
  const outfile = join(dir, "fuzz.cjs");
  await esbuild.build({
    entryPoints: [join(root, "test/trace/fuzz.ts")], bundle: true, platform: "node", format: "cjs", target: "es2022", outfile, logLevel: "error",
  });
  const fuzz = createRequire(import.meta.url)(outfile);
  const seeds = fuzz.traceSeeds(python, dir, join(root, "tracer/gil_timeline"));
  console.log(`seeds: ${seeds.map((s) => `${s.name} ${s.bytes.length} B, ${s.chunks.length} chunks, ${s.store.count} records`).join("; ")}`);
  const total = { cases: 0, guarded: 0, byMutator: {}, byProblem: {} };
  const t0 = Date.now();
  const batch = 100_000;
  for (let at = from; at < from + cases; at += batch) {
    const n = Math.min(batch, from + cases - at);
    const s = fuzz.runFuzz(seeds, n, seed, 10, at);
    total.cases += s.cases;
    total.guarded += s.guarded;
    for (const k of ["byMutator", "byProblem"]) for (const [m, c] of Object.entries(s[k])) total[k][m] = (total[k][m] ?? 0) + c;
    console.log(`${total.cases} cases, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(JSON.stringify(total, null, 1));
  console.log(`OK: ${total.cases} cases of seed ${seed} from case ${from}, no property violated`);
} catch (e) {
  failed = true;
  console.error(e instanceof Error ? e.message : e);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
