#!/usr/bin/env node
// tq's entry (package.json "bin"): runs the TypeScript CLI with Node's type
// stripping. `npx tq` in the repository runs on the project's Node 22 (the
// `node` dev dependency is first on npx's PATH).
if (!process.features.typescript) {
  process.stderr.write(`tq needs Node 22.18 or later (type stripping); this is ${process.version}. In the repository, run it as npx tq.\n`);
  process.exit(2);
}
const { main } = await import("./main.ts");
const controller = new AbortController();
// The first Ctrl-C stops tail or a wait cleanly; a second one ends tq at once.
process.once("SIGINT", () => {
  controller.abort();
  process.once("SIGINT", () => process.exit(130));
});
const color = process.stdout.isTTY === true && process.stderr.isTTY === true && !process.env.NO_COLOR;
process.exitCode = await main(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
  ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  color,
  signal: controller.signal,
});
