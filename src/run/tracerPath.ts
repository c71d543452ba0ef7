// Where the Python tracer lives: next to the bundle (dist/cli.js, dist/extension.js → ../tracer)
// or next to the sources (src/run/ in tests → ../../tracer). Searching upwards covers both.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

export function tracerDir(from: string = __dirname): string {
  let dir = from;
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, "tracer", "gil_timeline");
    if (existsSync(join(candidate, "__main__.py"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`the GIL Timeline tracer (tracer/gil_timeline/__main__.py) was not found above ${from}`);
}
