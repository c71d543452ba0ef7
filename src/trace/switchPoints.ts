// Could the UNTRACED interpreter switch threads between a read and the write that depends on it?
// The tracer's own callbacks are switch points (the observer effect, see the tracer-physics notes),
// so a lost update seen in a trace may exist only because we traced. We answer from the code's
// `dis` listing (CODE_DIS) and what is known of each version's eval breaker:
//   3.8-3.9   checked after almost every instruction;
//   3.10      at calls (C calls too), backward jumps and taken conditional jumps (measured: a
//             forward `if` between the read and the write loses updates on 3.10, not on 3.11);
//   3.11+     at Python calls (a function's RESUME) and backward jumps, not at C builtins;
//   no GIL    (free-threaded builds) threads really run at once: always.
// Pure: no vscode import.

/** One instruction as CODE_DIS lists it. */
export interface DisInstruction {
  offset: number;
  opname: string;
  argrepr: string;
  /** Source line; 0 when dis gave none (carried forward from the previous instruction). */
  line: number;
}

/** Parse a CODE_DIS JSON array `[[offset, opname, argrepr, line], ...]`; [] when malformed. */
export function parseDis(json: string): DisInstruction[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: DisInstruction[] = [];
  let line = 0;
  for (const row of raw) {
    if (!Array.isArray(row) || typeof row[0] !== "number" || typeof row[1] !== "string") continue;
    if (typeof row[3] === "number" && row[3] > 0) line = row[3];
    out.push({ offset: row[0], opname: row[1], argrepr: typeof row[2] === "string" ? row[2] : "", line });
  }
  return out;
}

/** A call between the read and the write. */
export interface WindowCall {
  /** What is called, as dis names it (`time.sleep`, `len`), or "" when unknown. */
  callee: string;
  line: number;
  /** False only for builtins known to be C functions that neither call back into Python nor release the GIL. */
  mayBePython: boolean;
}

/** What stands between a read and a write, as far as thread switches go. */
export interface SwitchWindow {
  readInstruction: string;
  writeInstruction: string;
  /** The read and the write are in different code objects, or the write comes before the read in the code (a loop around): control passes a call, a return or a backward jump. */
  leavesStraightLine: boolean;
  /** The code's listing lacks the read or the write (no CODE_DIS): nothing can be ruled out. */
  unknown: boolean;
  calls: WindowCall[];
  backwardJumpLines: number[];
  /** Forward conditional jumps (`if`): switch points on 3.10 only, when taken. */
  conditionalJumpLines: number[];
  /** Instructions strictly between the two. */
  between: number;
}

// C builtins that do not release the GIL and, for the usual argument types, do not call Python
// code. Anything else called might be Python (or block, like time.sleep): counted as a switch point.
const C_BUILTINS = new Set([
  "len", "abs", "isinstance", "issubclass", "id", "ord", "chr", "divmod", "hex", "oct", "bin", "callable",
  "int", "float", "bool", "tuple", "list", "dict", "set", "frozenset", "type", "round", "pow",
]);

const CALL_OPS = /^(CALL|CALL_FUNCTION|CALL_FUNCTION_KW|CALL_FUNCTION_EX|CALL_METHOD|CALL_KW)$/;

/** `NULL + len`, `len + NULL`, `NULL|self + sleep` → `len` / `sleep`. */
export function bareName(argrepr: string): string {
  return argrepr.replace(/^NULL(\|self)? \+ /, "").replace(/ \+ NULL(\|self)?$/, "");
}

const SPAN_BOUNDARY = /^(CALL|CALL_FUNCTION|CALL_FUNCTION_KW|CALL_FUNCTION_EX|CALL_METHOD|CALL_KW|STORE_.*|POP_TOP|RESUME|.*JUMP.*)$/;
const NAME_LOAD = /^LOAD_(GLOBAL|NAME|DEREF|FAST|ATTR|METHOD|SUPER_ATTR)$/;

/** The load at j as a name, dotted with an attribute/method load right after it (`time.sleep`). */
function dottedAt(dis: DisInstruction[], j: number, end: number): string {
  const name = bareName(dis[j].argrepr);
  const next = dis[j + 1];
  if (j + 1 < end && next && /^LOAD_(ATTR|METHOD)$/.test(next.opname)) return `${name}.${bareName(next.argrepr)}`;
  const prev = dis[j - 1];
  if (/^LOAD_(ATTR|METHOD)$/.test(dis[j].opname) && prev && NAME_LOAD.test(prev.opname)) return `${bareName(prev.argrepr)}.${name}`;
  return name;
}

/**
 * The callee of the CALL at index i, or "" when unsure. Heuristic, used only to tell known C
 * builtins from everything else and to name the call: within the instructions since the previous
 * statement boundary, 3.11+ marks the callee's load with a NULL/self; before, the callee is the
 * first load of the span, trusted only when no other name load follows it.
 */
function calleeOf(dis: DisInstruction[], i: number): string {
  let start = i;
  while (start > 0 && !SPAN_BOUNDARY.test(dis[start - 1].opname)) start--;
  for (let j = i - 1; j >= start; j--) {
    if (NAME_LOAD.test(dis[j].opname) && /NULL/.test(dis[j].argrepr)) return dottedAt(dis, j, i);
  }
  const first = dis[start];
  if (start >= i || !/^LOAD_(GLOBAL|NAME|DEREF|FAST)$/.test(first.opname)) return "";
  const callee = dottedAt(dis, start, i);
  const skip = callee.includes(".") ? 2 : 1;
  for (let j = start + skip; j < i; j++) {
    if (/^LOAD_(GLOBAL|NAME|DEREF|ATTR|METHOD)$/.test(dis[j].opname)) return "";
  }
  return callee;
}

function isBackwardJump(ins: DisInstruction): boolean {
  if (ins.opname === "JUMP_BACKWARD_NO_INTERRUPT") return false; // no eval-breaker check, by design
  if (ins.opname.includes("BACKWARD")) return true;
  if (!ins.opname.includes("JUMP")) return false;
  const m = /^to (\d+)$/.exec(ins.argrepr);
  // 3.8/3.9 dis shows no target for JUMP_ABSOLUTE; it is the loop's back edge (and checks the eval breaker).
  if (!m) return ins.opname === "JUMP_ABSOLUTE";
  return Number(m[1]) <= ins.offset;
}

/** Describe what lies between the read at `readOffset` and the write at `writeOffset` of one code object. */
export function switchWindow(dis: DisInstruction[], readOffset: number, writeOffset: number, sameCode: boolean): SwitchWindow {
  const readIdx = dis.findIndex((d) => d.offset === readOffset);
  const writeIdx = dis.findIndex((d) => d.offset === writeOffset);
  const window: SwitchWindow = {
    readInstruction: readIdx >= 0 ? dis[readIdx].opname : "",
    writeInstruction: writeIdx >= 0 ? dis[writeIdx].opname : "",
    leavesStraightLine: !sameCode || readOffset >= writeOffset,
    unknown: sameCode && (readIdx < 0 || writeIdx < 0),
    calls: [],
    backwardJumpLines: [],
    conditionalJumpLines: [],
    between: 0,
  };
  if (window.leavesStraightLine || readIdx < 0 || writeIdx < 0) return window;
  for (let i = readIdx + 1; i < writeIdx; i++) {
    const ins = dis[i];
    window.between++;
    if (CALL_OPS.test(ins.opname)) {
      const callee = calleeOf(dis, i);
      window.calls.push({ callee, line: ins.line, mayBePython: !C_BUILTINS.has(callee) });
    } else if (isBackwardJump(ins)) {
      window.backwardJumpLines.push(ins.line);
    } else if (/^(POP_JUMP|JUMP_IF_)/.test(ins.opname)) {
      window.conditionalJumpLines.push(ins.line);
    }
  }
  return window;
}

/** An interpreter as far as switch points go. */
export interface InterpreterKind {
  minor: number;
  gilEnabled: boolean;
}

/** Why a switch is possible in a window, or null when this interpreter cannot switch there. */
export function switchReason(w: SwitchWindow, py: InterpreterKind): string | null {
  if (!py.gilEnabled) return `3.${py.minor} without the GIL runs threads at the same time`;
  if (w.leavesStraightLine) return "the read and the write are not in one straight run of code: a call, return or loop lies between them";
  if (w.unknown) return "the trace has no `dis` listing of this code, so a switch between the read and the write cannot be ruled out";
  if (py.minor <= 9) {
    return `up to 3.9 the interpreter can switch threads after almost any instruction, e.g. right after ${w.readInstruction}`;
  }
  const calls = w.calls.filter((c) => py.minor === 10 || c.mayBePython);
  // Name a call the user wrote when there is one (a `with` block's exit call has no name).
  const call = calls.find((c) => c.callee) ?? calls[0];
  if (call) {
    const what = call.callee ? `the call to \`${call.callee}()\`` : "a call";
    return `${what} (line ${call.line}) between ${w.readInstruction} and ${w.writeInstruction} is a switch point`;
  }
  if (w.backwardJumpLines.length > 0) {
    return `the loop's backward jump (line ${w.backwardJumpLines[0]}) between ${w.readInstruction} and ${w.writeInstruction} is a switch point`;
  }
  if (py.minor === 10 && w.conditionalJumpLines.length > 0) {
    return `on 3.10 the conditional jump (line ${w.conditionalJumpLines[0]}) between ${w.readInstruction} and ${w.writeInstruction} is a switch point when taken`;
  }
  return null;
}

const GIL_MINORS = [8, 9, 10, 11, 12, 13];
/** The only free-threaded CPython of 3.8-3.13. */
const FREE_THREADED: InterpreterKind = { minor: 13, gilEnabled: false };

/** "3.8 and 3.9", "3.10-3.13", "3.8, 3.10 and 3.12". */
export function versionList(minors: number[]): string {
  if (minors.length === 0) return "";
  const runs: string[] = [];
  let start = minors[0];
  for (let i = 1; i <= minors.length; i++) {
    if (i < minors.length && minors[i] === minors[i - 1] + 1) continue;
    const end = minors[i - 1];
    if (end - start >= 2) runs.push(`3.${start}-3.${end}`);
    else for (let m = start; m <= end; m++) runs.push(`3.${m}`);
    start = minors[i];
  }
  return runs.length === 1 ? runs[0] : `${runs.slice(0, -1).join(", ")} and ${runs[runs.length - 1]}`;
}

/** The verdict on this interpreter plus the plain-language explanation that names the other versions. */
export interface SwitchVerdict {
  possibleUntraced: boolean;
  explanation: string;
}

/**
 * Judge a read-modify-write window on the traced interpreter. `lostInTrace` is how many updates the
 * trace saw lost there: when this interpreter could not have switched, they were caused by tracing.
 */
export function judgeWindow(w: SwitchWindow, py: InterpreterKind, variable: string, lostInTrace: number): SwitchVerdict {
  const here = versionName(py);
  const reason = switchReason(w, py);
  const pair = `${w.readInstruction || "the read"} and ${w.writeInstruction || "the write"} of \`${variable}\``;
  const losing = GIL_MINORS.filter((m) => m !== py.minor || !py.gilEnabled).filter((m) => switchReason(w, { minor: m, gilEnabled: true }) !== null);
  const safe = GIL_MINORS.filter((m) => m !== py.minor || !py.gilEnabled).filter((m) => !losing.includes(m));
  const others: string[] = [];
  if (reason === null) {
    const losesOn = [losing.length > 0 ? versionList(losing) : "", py.gilEnabled ? `free-threaded ${versionName(FREE_THREADED)}` : ""]
      .filter(Boolean).join(" and on ");
    let text = `Safe by accident on ${here}: no switch point between ${pair}`;
    if (lostInTrace > 0) {
      text += `; the ${lostInTrace} lost update${lostInTrace === 1 ? "" : "s"} in this trace ${lostInTrace === 1 ? "was" : "were"} caused by tracing (the tracer's callbacks are switch points), not by your program on ${here}`;
    }
    text += `. It loses updates on ${losesOn}: guard it with a lock anyway.`;
    return { possibleUntraced: false, explanation: text };
  }
  if (losing.length > 0 && py.gilEnabled) others.push(`also on ${versionList(losing)}`);
  if (safe.length > 0) others.push(`safe by accident on ${versionList(safe)} with the GIL`);
  const tail = others.length > 0 ? ` (${others.join("; ")}).` : ".";
  return {
    possibleUntraced: true,
    explanation: `Can lose updates on ${here} without the tracer: ${reason}${tail}`,
  };
}

/** "3.12", or "3.13t" for a free-threaded build. */
export function versionName(py: InterpreterKind): string {
  return `3.${py.minor}${py.gilEnabled ? "" : "t"}`;
}
