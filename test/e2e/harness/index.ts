// The e2e harness API (documented in test/e2e/README.md). Specs import from here only.
export { startCodeServer, freePort, type CodeServer, type CodeServerOptions } from "./code-server";
export { openWorkbench, closeWorkbench, paletteCommands, runCommand, goToLine, openFile, reloadWindow, webviewFrame, screenshot } from "./workbench";
export { bundleHostTests, hostResults, assertHostTestsPassed, type HostRunResult, type HostTestResult } from "./host-tests";
export { copyWorkspace, workerThreads } from "./workspace";
export { useCodeServer, type Session, type SessionOptions } from "./session";
export { waitFor, waitForMarker, type WaitOptions } from "./wait";
export { extensionId, extensionVsix, repoRoot, screenshotsDir } from "./paths";
