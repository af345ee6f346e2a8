// tq against the whole stack, as a user runs it: `npx tq …` with TQ_URL and TQ_API_KEY.
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

const stack = inject("stack");
const root = path.resolve(import.meta.dirname, "../..");

function tq(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("npx", ["tq", ...args], { cwd: root, env: { ...process.env, TQ_URL: stack.apiUrl, TQ_API_KEY: stack.apiKey, NO_COLOR: "1" }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, "") });
    });
  });
}

describe("npx tq", () => {
  it("submits notify.system, prints its progress and the result, and exits 0", async () => {
    const marker = `tq-${Date.now()}`;
    const run = await tq(["submit", "notify.system", "--payload", JSON.stringify({ notification_type: "info", title: "From tq", message: marker }), "--wait"]);
    expect(run.stderr).toMatch(/^submitted notify\.system as (\S+)\n/);
    const id = /as (\S+)\n/.exec(run.stderr)![1]!;
    expect(run.stderr).toMatch(/\nSUCCESS 100%/);
    expect(run.stderr).toContain(`✓ SUCCESS ${id}`);
    expect(JSON.parse(run.stdout)).toEqual({ delivered: true, event: "system_notification", status_code: 204 });
    expect(run.code).toBe(0);
    const status = await tq(["status", id, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ task_id: id, status: "SUCCESS", progress: 100 });
  });

  it("exits non-zero with the error when the task ends FAILURE", async () => {
    const run = await tq(["submit", "testing.flaky", "--payload", '{"failures": 0, "non_retryable": true}', "--wait"]);
    expect(run.stderr).toMatch(/✗ FAILURE \S+ after 1 attempt: NonRetryableError: asked to fail for good/);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(1);
  });

  it("refuses a payload the task's schema refuses, naming the field, with exit 3", async () => {
    const run = await tq(["submit", "notify.system", "--payload", '{"title": "no message"}']);
    expect(run.stderr).toMatch(/validation_failed, HTTP 400/);
    expect(run.stderr).toContain("message");
    expect(run.code).toBe(3);
  });
});
