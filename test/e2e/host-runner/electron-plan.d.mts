export const HOST_DIR: string;

export interface PythonsModule {
  findPythons(): { executable: string; version: string; major: number; minor: number }[];
  probePython(executable: string): { executable: string; version: string; major: number; minor: number } | null;
  MIN_MINOR: number;
  MAX_MINOR: number;
}

export interface HostRunPlan {
  /** Files added to the copy of examples/ (relative path -> content). */
  files: Readonly<Record<string, string>>;
  /** User settings. */
  settings: Record<string, unknown>;
  /** Environment of the extension host. */
  env: Record<string, string>;
  /** Extension folders loaded beside the repository's (extensionDevelopmentPath). */
  extensions: string[];
}

export function loadPythons(scratch: string): Promise<PythonsModule>;
export function planHostRun(name: string, pythons: PythonsModule): HostRunPlan | { skip: string };
export function prepareHostRun(name: string, plan: HostRunPlan): { dir: string; workspace: string; userData: string; extensionsDir: string };
