// startCodeServer for specs: scripts/code-server.mjs (shared with `npm start`) with the freshly packaged
// extension and the host runner installed, and the in-host test files handed to the runner.
import { join } from "node:path";
import { launchCodeServer } from "../../../scripts/code-server.mjs";
import { HOST_RESULT_ENV, HOST_TESTS_ENV } from "../host-runner/src/result";
import { extensionVsix, hostRunnerVsix } from "./paths";

export { freePort } from "../../../scripts/code-server.mjs";

export interface CodeServerOptions {
  /** The folder VS Code opens. Use copyWorkspace() for one the test may change. */
  workspace: string;
  /** Merged over the default user settings (quiet startup, no telemetry, no AI features). */
  settings?: Record<string, unknown>;
  /** false: an untrusted workspace in restricted mode, for testing the refusal to run. Default true. */
  trust?: boolean;
  /** Bundled in-host test files (from bundleHostTests()) the host runner runs after startup. */
  hostTests?: readonly string[];
  /** Extra environment for code-server and so for the extension host (and the scripts it traces). */
  env?: Record<string, string>;
  /** More .vsix files to install beside ours and the host runner (e.g. the Python extension stand-in). */
  extensions?: readonly string[];
}

export interface CodeServer {
  url: string;
  port: number;
  /** Isolated scratch folder of this instance (user data, extensions, TMPDIR, XDG dirs, log). */
  dir: string;
  logPath: string;
  /** Where the host runner writes its HostRunResult; read it with hostResults(). */
  hostResultPath: string;
  stop(): Promise<void>;
}

const hostResultPath = (dir: string): string => join(dir, "host-result.json");

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const server = await launchCodeServer({
    workspace: options.workspace,
    extensions: [extensionVsix(), hostRunnerVsix, ...(options.extensions ?? [])],
    settings: options.settings,
    trust: options.trust,
    env: (dir) => ({ ...options.env, [HOST_TESTS_ENV]: JSON.stringify(options.hostTests ?? []), [HOST_RESULT_ENV]: hostResultPath(dir) }),
    keepDir: Boolean(process.env.E2E_KEEP),
  });
  const { url, port, dir, logPath, stop } = server;
  return { url, port, dir, logPath, hostResultPath: hostResultPath(dir), stop };
}
