// `npm run schedules:apply -- --dry-run` without credentials: one line saying what to do, no stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/doc-examples.ts";

describe("npm run schedules:apply without credentials", () => {
  it("prints one line naming --local and the credentials to set, and exits 1", () => {
    const home = mkdtempSync(path.join(tmpdir(), "no-credentials-"));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, CLOUDSDK_CONFIG: home, GCP_PROJECT: "demo", GCP_LOCATION: "us-central1" };
      const run = spawnSync("npm", ["run", "-s", "schedules:apply", "--", "--dry-run"], { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 60_000 });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^schedules:apply: no usable Google credentials/);
      expect(lines[0]).toContain("--local");
      expect(lines[0]).toContain("GOOGLE_APPLICATION_CREDENTIALS");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
