import type { ChildProcess } from "node:child_process";

export interface LaunchOptions {
  /** The folder VS Code opens. */
  workspace: string;
  /** .vsix files installed before start. */
  extensions: string[];
  /** Merged over the default user settings (quiet startup, no telemetry, no AI features). */
  settings?: Record<string, unknown>;
  /** false: an untrusted workspace in restricted mode. Default true. */
  trust?: boolean;
  /** Extra environment for code-server and therefore for the extension host; a function gets the scratch folder. */
  env?: Record<string, string> | ((dir: string) => Record<string, string>);
  /** Default: a free port. */
  port?: number;
  /** Keep the scratch folder (log, user data) after stop(). */
  keepDir?: boolean;
}

export interface LaunchedCodeServer {
  url: string;
  port: number;
  /** Isolated scratch folder: user data, extensions, TMPDIR, XDG dirs, code-server.log. */
  dir: string;
  logPath: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function freePort(): Promise<number>;
export function launchCodeServer(options: LaunchOptions): Promise<LaunchedCodeServer>;
