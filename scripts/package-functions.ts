// npm run infra:package: dist/function-source.zip, the source every function
// deploys from. It holds the JavaScript that `npm run build` (tsconfig.build.json)
// emitted into dist/functions, the non-TypeScript files beside the sources (SQL
// migrations), package-lock.json, and package.json with `main` pointing at the
// entry points and without scripts, so Cloud Build runs no build step of ours.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { zipArchive, type ArchiveEntry } from "./package/zip-archive.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = path.join(root, "dist");
const output = path.join(dist, "function-source.zip");

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sourceFiles(full)));
    else found.push(path.relative(root, full).split(path.sep).join("/"));
  }
  return found;
}

/** Tests, and the in-memory stand-ins only tests use (functions/core/testing/). */
const isTest = (file: string) => /\.test\.ts$/.test(file) || file.startsWith("functions/core/testing/");

// Walk the sources, not dist/: a file deleted from functions/ leaves a stale .js in dist/ that must not ship.
const entries: ArchiveEntry[] = [];
for (const file of await sourceFiles(path.join(root, "functions"))) {
  if (isTest(file)) continue;
  const built = file.endsWith(".ts") ? path.join(dist, file.replace(/\.ts$/, ".js")) : path.join(root, file);
  if (!existsSync(built)) {
    process.stderr.write(`${path.relative(root, built)} is missing: run npm run build first (npm run infra:package does)\n`);
    process.exit(1);
  }
  entries.push({ path: file.replace(/\.ts$/, ".js"), data: await readFile(built) });
}

const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
delete manifest.scripts;
// The typed client and tq are for callers, and their files are not in the deployed source.
delete manifest.exports;
delete manifest.bin;
// The runtime (nodejs22) picks Node; an open range like ">=22" would let the buildpack reach for a newer one.
const deployed = { ...manifest, main: "functions/index.js", engines: { ...(manifest.engines as object), node: "22.x" } };
entries.push({ path: "package.json", data: Buffer.from(`${JSON.stringify(deployed, null, 2)}\n`) });
entries.push({ path: "package-lock.json", data: await readFile(path.join(root, "package-lock.json")) });

const zip = zipArchive(entries);
await writeFile(output, zip);
const md5 = createHash("md5").update(zip).digest("hex");
process.stdout.write(`wrote ${path.relative(root, output)}: ${entries.length} files, ${(zip.length / 1024).toFixed(0)} KiB, md5 ${md5}\n`);
