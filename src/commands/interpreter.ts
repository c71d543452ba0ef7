// Which Python runs the traced script: the Python extension's selected interpreter when that
// extension is installed, else the `gilTimeline.pythonPath` setting, else python3/python on PATH.
// The Python extension's API comes through @vscode/python-extension, asked only when the extension
// is installed, so nothing breaks when it is absent.
import { existsSync } from "node:fs";
import { sep } from "node:path";
import { PVSC_EXTENSION_ID, PythonExtension } from "@vscode/python-extension";
import * as vscode from "vscode";
import { MIN_MINOR, probePython, type PythonInstall } from "../run/pythons";

export type InterpreterSource = "Python extension" | "gilTimeline.pythonPath" | "PATH";

export interface Interpreter extends PythonInstall {
  source: InterpreterSource;
}

async function fromPythonExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const { environments } = await PythonExtension.api();
    const env = await environments.resolveEnvironment(environments.getActiveEnvironmentPath(resource));
    return env?.executable.uri?.fsPath;
  } catch {
    return undefined; // an API we do not understand (or that fails): fall back to the setting
  }
}

/** The candidate executable and where it came from, without running it. */
async function candidates(resource: vscode.Uri | undefined): Promise<Array<[string, InterpreterSource]>> {
  const fromExt = await fromPythonExtension(resource);
  if (fromExt) return [[fromExt, "Python extension"]];
  const setting = vscode.workspace.getConfiguration("gilTimeline", resource).get<string>("pythonPath", "").trim();
  if (setting) return [[setting, "gilTimeline.pythonPath"]];
  return [["python3", "PATH"], ["python", "PATH"]];
}

export class InterpreterError extends Error {}

/** Probing costs a process start: remember what each executable is. */
const probed = new Map<string, PythonInstall | null>();

function probe(executable: string): PythonInstall | null {
  if (!probed.has(executable)) probed.set(executable, probePython(executable));
  return probed.get(executable) ?? null;
}

/** The interpreter to use for `resource`, or an InterpreterError that says what is wrong. */
export async function findInterpreter(resource: vscode.Uri | undefined): Promise<Interpreter> {
  const tried: string[] = [];
  for (const [executable, source] of await candidates(resource)) {
    const found = probe(executable);
    if (!found) {
      // A path (not a bare name looked up on PATH) that is not there: say so rather than "does not run".
      const missing = executable.includes(sep) && !existsSync(executable);
      tried.push(`${executable} (from ${source}) ${missing ? "does not exist" : "does not run as CPython"}`);
      continue;
    }
    if (found.major !== 3 || found.minor < MIN_MINOR) {
      throw new InterpreterError(
        `GIL Timeline needs CPython 3.${MIN_MINOR} or newer; ${executable} (from ${source}) is ${found.version}.`,
      );
    }
    return { ...found, source };
  }
  throw new InterpreterError(`No Python interpreter found: ${tried.join("; ")}.`);
}

/** Shows an interpreter problem with a way out: pick one in the Python extension or set the setting. */
export async function reportInterpreterError(error: InterpreterError): Promise<void> {
  const hasPythonExt = vscode.extensions.getExtension(PVSC_EXTENSION_ID) !== undefined;
  const pick = hasPythonExt ? "Select Interpreter" : "Set Python Path";
  const choice = await vscode.window.showErrorMessage(error.message, pick);
  if (choice === "Select Interpreter") await vscode.commands.executeCommand("python.setInterpreter");
  else if (choice === "Set Python Path") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "gilTimeline.pythonPath");
  }
}

/** Forget probed versions (the setting changed, or a new interpreter may be installed). */
export function forgetInterpreters(): void {
  probed.clear();
}
