#!/usr/bin/env node
"use strict";
// The CLI entry named by package.json "bin"; the code is bundled into dist/cli.js by `npm run build`.
require("../dist/cli.js")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
