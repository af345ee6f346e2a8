// The stand-ins stay out of the deployed bundle (scripts/package/bundle.ts), so no
// deployed file may import them: the bundle would carry them into Cloud Functions (test/infra/bundle.test.ts checks it does not).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const functionsDir = fileURLToPath(new URL("../..", import.meta.url));

it("no deployed file imports functions/core/testing", async () => {
  const files = (await readdir(functionsDir, { recursive: true }))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.startsWith(`core${path.sep}testing${path.sep}`));
  expect(files.length).toBeGreaterThan(50);
  const standIns = path.join(functionsDir, "core", "testing") + path.sep;
  const offenders: string[] = [];
  for (const file of files) {
    const source = await readFile(path.join(functionsDir, file), "utf8");
    for (const [, specifier] of source.matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)) {
      if (path.resolve(path.dirname(path.join(functionsDir, file)), specifier!).startsWith(standIns)) offenders.push(file);
    }
  }
  expect(offenders).toEqual([]);
});
