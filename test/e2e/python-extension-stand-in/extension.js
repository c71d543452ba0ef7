// Test-only stand-in for ms-python.python: the two calls of its environments API that GIL Timeline
// uses (src/commands/interpreter.ts), answering with the interpreter the spec selected.
"use strict";
const vscode = require("vscode");

exports.activate = function activate() {
  const selected = process.env.GIL_TIMELINE_E2E_SELECTED_PYTHON;
  return {
    environments: {
      getActiveEnvironmentPath: () => ({ path: selected }),
      resolveEnvironment: async (env) => ({ executable: { uri: vscode.Uri.file(env.path) } }),
    },
  };
};
