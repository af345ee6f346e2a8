// predev / pretest: on a fresh clone, install the dependencies (npm ci) before
// the first run, so `npm run dev` and `npm test` work as the first command.
// Plain CommonJS: it runs on whatever Node npm found, before node@22 is installed.
const { existsSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const installed = existsSync(path.join(root, "node_modules", ".package-lock.json")) && existsSync(path.join(root, "node_modules", "node", "bin"));
if (!installed) {
  process.stdout.write("node_modules is missing: running npm ci first\n");
  const result = spawnSync("npm", ["ci"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write("npm ci failed: see above\n");
    process.exit(result.status ?? 1);
  }
}
