// `npm run package` produces a .vsix with what the extension needs at run time and nothing else.
// The test packages the already built dist/ (`npm test` builds first) with `npm run package:vsix`, so that it
// never rewrites dist/ under other test files that run the built CLI at the same time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..");

/** Names in a zip's central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): string[] {
  const EOCD = 0x06054b50;
  const ENTRY = 0x02014b50;
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== EOCD) eocd--;
  if (eocd < 0) throw new Error("not a zip: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== ENTRY) throw new Error(`bad central directory entry at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString("utf8", at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split("\\").join("/"))
    .filter(keep);
}

describe("the packaged .vsix", () => {
  const out = mkdtempSync(join(tmpdir(), "gil-package-"));
  const vsix = join(out, "gil-timeline.vsix");
  let files: string[] = [];

  beforeAll(() => {
    const result = spawnSync("npm", ["run", "package:vsix", "--", "--out", vsix], { cwd: root, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`npm run package:vsix failed (run npm run build first):\n${result.stdout}\n${result.stderr}`);
    const entries = zipEntries(readFileSync(vsix));
    // vsce's own bookkeeping sits outside extension/; what the extension gets is under it.
    expect(entries).toContain("extension.vsixmanifest");
    files = entries.filter((e) => e.startsWith("extension/")).map((e) => e.slice("extension/".length));
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("contains the bundled extension and CLI, the manifest and the license", () => {
    for (const needed of ["package.json", "LICENSE.txt", "dist/extension.js", "dist/cli.js"]) expect(files).toContain(needed);
  });

  it("contains the README when the project has one", () => {
    expect(files.includes("readme.md")).toBe(existsSync(join(root, "README.md")));
  });

  it("contains every tracer source and every webview asset except source maps", () => {
    const tracer = filesUnder(join(root, "tracer"), (f) => f.endsWith(".py"));
    const media = filesUnder(join(root, "media"), (f) => !f.endsWith(".map"));
    expect(tracer.length).toBeGreaterThan(0);
    expect(media).toContain("media/dist/timeline.js");
    for (const f of [...tracer, ...media]) expect(files).toContain(f);
  });

  it("contains nothing else: no sources, tests, maps, examples, docs or node_modules", () => {
    const allowed = (f: string): boolean =>
      ["package.json", "LICENSE.txt", "readme.md", "dist/extension.js", "dist/cli.js"].includes(f) ||
      (f.startsWith("media/") && !f.endsWith(".map")) ||
      (f.startsWith("tracer/") && f.endsWith(".py"));
    expect(files.filter((f) => !allowed(f))).toEqual([]);
  });
});
