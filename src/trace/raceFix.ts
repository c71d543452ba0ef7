// The suggested fix of a race point: which lock, around which lines. An existing lock is named
// from the code that acquires it (the `dis` listing around its acquisition site); otherwise a new
// one is proposed, named after the variable.
import { bareName, type DisInstruction } from "./switchPoints";

/** The name a `with X:` / `X.acquire()` at `offset` gives its lock (`counter_lock`, `self.lock`), or "". */
export function lockNameAt(dis: DisInstruction[], offset: number): string {
  let i = -1;
  for (let j = 0; j < dis.length && dis[j].offset <= offset; j++) i = j;
  for (; i >= 0; i--) {
    const ins = dis[i];
    const name = bareName(ins.argrepr);
    if (!ins.opname.startsWith("LOAD_") || ins.opname === "LOAD_CONST") continue;
    if ((ins.opname === "LOAD_ATTR" || ins.opname === "LOAD_METHOD") && /^(acquire|__enter__)$/.test(name)) continue;
    if (ins.opname === "LOAD_ATTR" && i > 0 && /^LOAD_(FAST|GLOBAL|DEREF|NAME)$/.test(dis[i - 1].opname)) {
      return `${bareName(dis[i - 1].argrepr)}.${name}`;
    }
    return name;
  }
  return "";
}

/** The variable as code spells it: a closure cell's `hits in make_counter` → `hits`. */
export function variableExpression(variable: string): string {
  return variable.replace(/ in [^ ]+$/, "");
}

/** A new lock's name for a variable: `counter` → `counter_lock`, `counts[word]` → `counts_lock`. */
export function newLockName(variable: string): string {
  const base = variableExpression(variable).replace(/\[.*$/, "").replace(/[^A-Za-z0-9_.]/g, "_") || "shared";
  return `${base}_lock`;
}

/** `multiprocessing.Value`/`Array` carry their own lock: `v.value` → `v.get_lock()`. */
function sharedMemoryLock(variable: string): string {
  const base = variable.replace(/\.value$/, "").replace(/\[.*$/, "");
  return `${base}.get_lock()`;
}

/** "line 7", "lines 12-14" per function, joined: "lines 12-13 in `work` and line 20 in `report`". */
export function describeLines(linesByFunction: Map<string, number[]>): string {
  const parts: string[] = [];
  for (const [fn, lines] of linesByFunction) {
    const lo = Math.min(...lines);
    const hi = Math.max(...lines);
    const span = lo === hi ? `line ${lo}` : `lines ${lo}-${hi}`;
    parts.push(linesByFunction.size > 1 ? `${span} in \`${fn}\`` : span);
  }
  return parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export interface FixInput {
  variable: string;
  sharedMemory: boolean;
  /** Lines to guard, per function. */
  lines: Map<string, number[]>;
  /** An existing lock used for this variable elsewhere: its name and where it is taken. */
  existingLock: { name: string; line: number } | null;
  /** No thread read and then wrote it: one side publishes, the other reads. */
  publishOnly?: boolean;
}

export function suggestFix(input: FixInput): string {
  const fix = lockFix(input);
  return input.publishOnly && !input.sharedMemory
    ? `${fix}; or, if one thread only hands the value to another, pass it through a \`threading.Event\` or a \`queue.Queue\``
    : fix;
}

function lockFix(input: FixInput): string {
  const where = describeLines(input.lines);
  if (input.existingLock) {
    const name = input.existingLock.name || "the lock";
    return `guard ${where} with \`with ${name}:\` (the lock already used for \`${input.variable}\` at line ${input.existingLock.line}), holding it across the read and the write`;
  }
  if (input.sharedMemory) {
    return `guard ${where} with \`with ${sharedMemoryLock(input.variable)}:\` (the shared value's own lock)`;
  }
  const name = newLockName(input.variable);
  return `create \`${name} = threading.Lock()\` and guard ${where} with \`with ${name}:\``;
}
