// npm run infra:manifest [-- --check]: writes infra/manifest.json from the
// registry; --check only reports whether the committed file is stale.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderManifest, stableJson } from "./manifest/render.ts";

const target = fileURLToPath(new URL("../infra/manifest.json", import.meta.url));
const rendered = stableJson(renderManifest());
const committed = await readFile(target, "utf8").catch(() => "");

if (process.argv.includes("--check")) {
  if (committed !== rendered) {
    process.stderr.write("infra/manifest.json is stale: run npm run infra:manifest\n");
    process.exit(1);
  }
  process.stdout.write("infra/manifest.json is up to date\n");
} else if (committed === rendered) {
  process.stdout.write("infra/manifest.json is up to date\n");
} else {
  await writeFile(target, rendered);
  process.stdout.write("wrote infra/manifest.json\n");
}
