// The files the in-host tests expect beside a copy of examples/, shared by the code-server specs
// (editor.e2e.ts) and `npm run test:electron` (host-runner/electron-plan.mjs). Plain .mjs (types in
// workspaces.d.mts) because the electron runner runs on plain Node.

/** editor.host.ts: a script that never ends (Stop, timeout), a syntax error, stdin and argv echoes. */
export const EDITOR_EXTRA_FILES = {
  "never_ends.py": [
    "import threading",
    "import time",
    "",
    "def spin():",
    "    while True:",
    "        time.sleep(0.01)",
    "",
    "for _ in range(2):",
    "    threading.Thread(target=spin, daemon=True).start()",
    "while True:",
    "    time.sleep(0.05)",
    "",
  ].join("\n"),
  "syntax_error.py": "import threading\n\ndef broken(:\n    pass\n",
  "echo_input.py": "line = input()\nwith open('input.txt', 'w') as f:\n    f.write(line)\n",
  "show_args.py": "import json, sys\nwith open('args.json', 'w') as f:\n    json.dump(sys.argv[1:], f)\n",
};
