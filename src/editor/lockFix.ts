// The race quick fix as a pure function: source text + the racing lines -> line edits that wrap each
// read-modify-write in `with <lock>:`, reusing a lock the file already has for the variable, else
// adding a module-level `<name>_lock = threading.Lock()` (and `import threading` when missing).
// Works on lines and indentation, not a parse tree: the lines come from the tracer, which already
// knows the statements; here we only need block structure, which indentation gives in Python.
import { variableExpression } from "../trace/raceFix";

/** Replace lines [start, end) (0-based) with `lines`; start === end inserts. */
export interface LineEdit {
  start: number;
  end: number;
  lines: string[];
}

export interface LockFix {
  lock: string;
  edits: LineEdit[];
  /** e.g. "guard lines 23-25 with `with counter_lock:`". */
  title: string;
}

const LOCK_DEF = /^([A-Za-z_]\w*)\s*=\s*((?:[A-Za-z_]\w*\.)?)(R?Lock)\(\s*\)\s*(#.*)?$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isBlank(line: string): boolean {
  const t = line.trim();
  return t === "" || t.startsWith("#");
}

/** `counter` -> counter, `self.balance` -> balance, `counts[word]` -> counts, `Stats.hits` -> hits,
 *  `hits in make_counter` -> hits. */
export function lockBaseName(variable: string): string {
  const head = variableExpression(variable).split("[")[0];
  const parts = head.split(".").filter((p) => /^[A-Za-z_]\w*$/.test(p));
  return parts[parts.length - 1] ?? "shared";
}

/** Net bracket depth change of a line, ignoring strings and comments (good enough for statements). */
function bracketDelta(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "#") break;
    else if (c === "'" || c === '"') quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
  }
  return depth;
}

/** The last line of the statement starting at `line` (multi-line calls, backslash continuations). */
function statementEnd(lines: string[], line: number): number {
  let depth = 0;
  let i = line;
  for (; i < lines.length; i++) {
    depth += bracketDelta(lines[i]);
    if (depth <= 0 && !lines[i].trimEnd().endsWith("\\")) break;
  }
  return Math.min(i, lines.length - 1);
}

/**
 * Groups racing lines (0-based) into blocks to wrap: consecutive statements of one suite. A new block
 * starts when a line between two racing lines leaves the suite (smaller indent: another function).
 */
export function racingBlocks(lines: string[], racing: number[]): Array<[number, number]> {
  const sorted = [...new Set(racing)].filter((l) => l >= 0 && l < lines.length).sort((a, b) => a - b);
  const blocks: Array<[number, number]> = [];
  for (const l of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && l <= last[1]) continue;
    if (last && indentOf(lines[l]) >= indentOf(lines[last[0]])) {
      let sameSuite = true;
      for (let k = last[1] + 1; k < l; k++) {
        if (!isBlank(lines[k]) && indentOf(lines[k]) < indentOf(lines[last[0]])) sameSuite = false;
      }
      if (sameSuite) {
        last[1] = statementEnd(lines, l);
        continue;
      }
    }
    blocks.push([l, statementEnd(lines, l)]);
  }
  return blocks;
}

interface ThreadingNames {
  /** How to spell `threading.Lock` in this file, or null when nothing is imported. */
  lockCall: string | null;
  /** Line after which module-level definitions can go (after the imports), 0-based, -1 for the top. */
  headerEnd: number;
  /** Where `import threading` goes when missing (after a docstring and `from __future__`). */
  importAt: number;
}

function scanHeader(lines: string[]): ThreadingNames {
  let lockCall: string | null = null;
  let headerEnd = -1;
  let importAt = 0;
  let i = 0;
  while (i < lines.length && isBlank(lines[i])) i++; // shebang, coding line, comments
  importAt = i;
  const doc = /^[rRuU]?("""|''')/.exec(lines[i] ?? "");
  if (doc) {
    // A module docstring: the import must not land inside it.
    const rest = lines[i].slice(doc[0].length);
    if (!rest.includes(doc[1])) while (i + 1 < lines.length && !lines[++i].includes(doc[1]));
    importAt = i + 1;
    headerEnd = i;
    i++;
  }
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (indentOf(line) > 0 || isBlank(line)) continue;
    const m = /^(?:import\s+(.+)|from\s+(\S+)\s+import\s+(.+))$/.exec(line.trim());
    if (!m) {
      if (/^(def|class|async\s+def|if|for|while|with|try|@)\b/.test(line)) break;
      continue;
    }
    const end = statementEnd(lines, i);
    if (m[1]) {
      for (const part of m[1].split(",")) {
        const [mod, alias] = part.trim().split(/\s+as\s+/);
        if (mod === "threading") lockCall = `${alias ?? "threading"}.Lock`;
      }
    } else if (m[2] === "threading") {
      const names = lines.slice(i, end + 1).join(" ").replace(/^.*?import\s+/, "").replace(/[()\\]/g, " ");
      for (const part of names.split(",")) {
        const [name, alias] = part.trim().split(/\s+as\s+/);
        if (name === "Lock" && !lockCall) lockCall = alias ?? "Lock";
      }
    }
    if (m[2] === "__future__") importAt = end + 1;
    headerEnd = end;
    i = end;
  }
  return { lockCall, headerEnd, importAt };
}

/** A module-level lock whose name says it guards this variable (`counter_lock`, `counterLock`, `lock_counter`). */
function existingLock(lines: string[], base: string): string | null {
  const want = base.toLowerCase().replace(/^_+/, "");
  for (const line of lines) {
    const m = LOCK_DEF.exec(line);
    if (m && m[1].toLowerCase().includes(want)) return m[1];
  }
  return null;
}

function freeName(lines: string[], wanted: string): string {
  const text = lines.join("\n");
  let name = wanted;
  for (let n = 2; new RegExp(`\\b${name}\\b`).test(text); n++) name = `${wanted}${n}`;
  return name;
}

function indentUnit(lines: string[]): string {
  for (const l of lines) {
    const ws = /^(\s+)\S/.exec(l);
    if (ws) return ws[1].startsWith("\t") ? "\t" : "    ";
  }
  return "    ";
}

/**
 * The quick fix for one race in one file. `racingLines` are 1-based (RaceAccess.line). Returns null
 * when the lines are already under a `with <that lock>:` or are not statements we can wrap.
 */
export function lockFix(source: string, variable: string, racingLines: number[]): LockFix | null {
  const lines = source.split(/\r?\n/);
  const blocks = racingBlocks(lines, racingLines.map((l) => l - 1));
  if (blocks.length === 0) return null;
  const base = lockBaseName(variable);
  const header = scanHeader(lines);
  const reuse = existingLock(lines, base);
  const lock = reuse ?? freeName(lines, `${base}_lock`);
  const unit = indentUnit(lines);
  const edits: LineEdit[] = [];
  if (!reuse) {
    const lockCall = header.lockCall ?? "threading.Lock";
    const definition = ["", `${lock} = ${lockCall}()`];
    const at = Math.max(header.headerEnd + 1, header.importAt);
    if (header.lockCall) edits.push({ start: at, end: at, lines: definition });
    else if (at === header.importAt) edits.push({ start: at, end: at, lines: ["import threading", ...definition] });
    else {
      edits.push({ start: header.importAt, end: header.importAt, lines: ["import threading"] });
      edits.push({ start: at, end: at, lines: definition });
    }
  }
  for (const [first, last] of blocks) {
    const pad = lines[first].slice(0, indentOf(lines[first]));
    if (first > 0 && lines[first - 1].trim() === `with ${lock}:`) return null; // already guarded
    const body = lines.slice(first, last + 1).map((l) => (l.trim() === "" ? l : unit + l));
    edits.push({ start: first, end: last + 1, lines: [`${pad}with ${lock}:`, ...body] });
  }
  const where = blocks.map(([a, b]) => (a === b ? `${a + 1}` : `${a + 1}-${b + 1}`)).join(", ");
  const title = `Guard line${blocks.length > 1 || blocks[0][0] !== blocks[0][1] ? "s" : ""} ${where} with \`with ${lock}:\``;
  return { lock, edits, title };
}

/** Applies line edits (as a WorkspaceEdit would): for tests and for previews. */
export function applyLineEdits(source: string, edits: LineEdit[]): string {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const lines = source.split(/\r?\n/);
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  for (const e of sorted) lines.splice(e.start, e.end - e.start, ...e.lines);
  return lines.join(eol);
}
