// npm run infra:package: dist/function-source.zip, the source every function
// deploys from: the esbuild bundle of scripts/package/bundle.ts (one file per
// function, chunks loaded on first use, index.js picking the served function
// by FUNCTION_TARGET), package.json with `main: index.js`, no scripts and only
// the packages the bundle leaves external, and package-lock.json cut down to
// them, so Cloud Build's `npm ci` installs those and runs no build step of ours.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleFiles } from "./package/bundle.ts";
import { zipArchive } from "./package/zip-archive.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const output = path.join(root, "dist", "function-source.zip");

const entries = await bundleFiles();
const zip = zipArchive(entries);
await mkdir(path.dirname(output), { recursive: true });
await writeFile(output, zip);
const md5 = createHash("md5").update(zip).digest("hex");
process.stdout.write(`wrote ${path.relative(root, output)}: ${entries.length} files, ${(zip.length / 1024).toFixed(0)} KiB, md5 ${md5}\n`);
