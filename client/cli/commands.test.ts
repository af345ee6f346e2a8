// tq's commands against an in-memory API (a scripted fetch): output, progress and exit codes.
import { describe, expect, it } from "vitest";
import type { TaskView } from "../index.ts";
import { main } from "./main.ts";
import type { Io } from "./commands.ts";

type Reply = [status: number, body: unknown];
/** Each "METHOD /path" answers its replies in turn, repeating the last. */
function scriptedFetch(script: Record<string, Reply[]>, sent: { method: string; path: string; body: unknown }[] = []): typeof fetch {
  const turns = new Map<string, number>();
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? "GET"} ${url.pathname}${url.search}`;
    sent.push({ method: init?.method ?? "GET", path: `${url.pathname}${url.search}`, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const replies = script[key];
    if (!replies) return new Response(JSON.stringify({ error: { code: "not_found", message: `no route ${key}` } }), { status: 404 });
    const turn = turns.get(key) ?? 0;
    turns.set(key, turn + 1);
    const [status, body] = replies[Math.min(turn, replies.length - 1)]!;
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
}

function captureIo(tty = false, signal?: AbortSignal): Io & { stdout: string; stderr: string } {
  const io = { stdout: "", stderr: "", tty, color: false, ...(signal ? { signal } : {}), out: (t: string) => { io.stdout += t; }, err: (t: string) => { io.stderr += t; } };
  return io;
}

const view = (over: Partial<TaskView>): TaskView => ({
  task_id: "t1", tenant: "acme", type: "notify.system", queue: "notifications", priority: "normal", status: "PENDING", progress: 0, message: "", attempts: 0, max_attempts: 3,
  created_at: "2026-01-01T10:00:00.000Z", eta: null, started_at: null, finished_at: null, next_attempt_at: null, result_available: false, error: null, ...over,
});
const env = { TQ_URL: "http://api.test", TQ_API_KEY: "k" };
const accepted: Reply = [202, { task_id: "t1", status: "PENDING", poll_url: "http://api.test/v1/tasks/t1", result_url: "http://api.test/v1/tasks/t1/result" }];
const fast = ["--timeout", "5"];

describe("tq submit --wait", () => {
  it("prints each change of progress, the outcome and the result, and exits 0 on SUCCESS", async () => {
    const sent: { method: string; path: string; body: unknown }[] = [];
    const fetch = scriptedFetch({
      "POST /v1/tasks": [accepted],
      "GET /v1/tasks/t1": [
        [200, view({})],
        [200, view({ status: "STARTED", progress: 10, message: "delivering", attempts: 1, started_at: "2026-01-01T10:00:00.100Z" })],
        [200, view({ status: "SUCCESS", progress: 100, message: "delivering", attempts: 1, started_at: "2026-01-01T10:00:00.100Z", finished_at: "2026-01-01T10:00:00.350Z" })],
      ],
      "GET /v1/tasks/t1/result": [[200, { task_id: "t1", status: "SUCCESS", result: { delivered: true, status_code: 204 } }]],
    }, sent);
    const io = captureIo();
    const code = await main(["submit", "notify.system", "--payload", '{"title":"Hi"}', "--wait", ...fast], env, io, fetch);
    expect(code).toBe(0);
    expect(sent[0]).toEqual({ method: "POST", path: "/v1/tasks", body: { type: "notify.system", payload: { title: "Hi" } } });
    expect(io.stderr).toBe(
      "submitted notify.system as t1\nPENDING 0%\nSTARTED 10% delivering\nSUCCESS 100% delivering\n✓ SUCCESS t1 in 0.25 s (1 attempt)\n",
    );
    expect(JSON.parse(io.stdout)).toEqual({ delivered: true, status_code: 204 });
  });

  it("draws a progress bar in place on a terminal", async () => {
    const fetch = scriptedFetch({
      "POST /v1/tasks": [accepted],
      "GET /v1/tasks/t1": [[200, view({ status: "STARTED", progress: 50, message: "half" })], [200, view({ status: "SUCCESS", progress: 100, attempts: 1 })]],
      "GET /v1/tasks/t1/result": [[200, { task_id: "t1", status: "SUCCESS", result: {} }]],
    });
    const io = captureIo(true);
    expect(await main(["submit", "notify.system", "--wait", ...fast], env, io, fetch)).toBe(0);
    expect(io.stderr).toContain(`\r\u001b[2Knotify.system STARTED ${"█".repeat(12)}${"░".repeat(12)}  50% half`);
    const narrow = captureIo(true);
    narrow.columns = 52;
    await main(["submit", "notify.system", "--wait", ...fast], env, narrow, fetch);
    expect(narrow.stderr).toContain(`\r\u001b[2Knotify.system SUCCESS ${"█".repeat(24)} 100%\n`);
  });

  it("exits 1 with the error when the task ends FAILURE, and says so in JSON with --json", async () => {
    const failed = view({ type: "testing.flaky", status: "FAILURE", attempts: 1, error: { type: "NonRetryableError", message: "asked to fail for good" } });
    const script = { "POST /v1/tasks": [accepted], "GET /v1/tasks/t1": [[200, failed]] as Reply[] };
    const io = captureIo();
    expect(await main(["submit", "testing.flaky", "--payload", '{"failures":0,"non_retryable":true}', "--wait", ...fast], env, io, scriptedFetch(script))).toBe(1);
    expect(io.stderr).toContain("✗ FAILURE t1 after 1 attempt: NonRetryableError: asked to fail for good");
    expect(io.stdout).toBe("");
    const json = captureIo();
    expect(await main(["submit", "testing.flaky", "--wait", "--json", ...fast], env, json, scriptedFetch(script))).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ task_id: "t1", status: "FAILURE", error: { type: "NonRetryableError", message: "asked to fail for good" } });
  });

  it("exits 4 when the task has not ended by --timeout", async () => {
    const io = captureIo();
    const fetch = scriptedFetch({ "POST /v1/tasks": [accepted], "GET /v1/tasks/t1": [[200, view({ status: "STARTED" })]] });
    expect(await main(["submit", "notify.system", "--wait", "--timeout", "1"], env, io, fetch)).toBe(4);
    expect(io.stderr).toContain("did not end within 1000 ms (last seen STARTED)");
  });
});

describe("tq's other commands", () => {
  it("prints only the id on stdout for a submit without --wait", async () => {
    const io = captureIo();
    expect(await main(["submit", "notify.system", "--payload", "{}"], env, io, scriptedFetch({ "POST /v1/tasks": [accepted] }))).toBe(0);
    expect(io.stdout).toBe("t1\n");
    expect(io.stderr).toBe("submitted notify.system: PENDING\n");
  });

  it("exits 3 with the API's error code and details when it refuses", async () => {
    const io = captureIo();
    const fetch = scriptedFetch({ "POST /v1/tasks": [[400, { error: { code: "unknown_type", message: 'unknown task type "x.y"', details: { known_types: ["notify.system"] } } }]] });
    expect(await main(["submit", "x.y"], env, io, fetch)).toBe(3);
    expect(io.stderr).toBe('tq: unknown task type "x.y" (unknown_type, HTTP 400)\n{"known_types":["notify.system"]}\n');
  });

  it("exits 1 for the result of a task that failed, and 4 while it runs", async () => {
    const failed = scriptedFetch({ "GET /v1/tasks/t1/result": [[409, { error: { code: "conflict", message: "task t1 ended FAILURE: boom", details: { task_id: "t1", status: "FAILURE", error: { type: "Error", message: "boom" } } } }]] });
    const io = captureIo();
    expect(await main(["result", "t1"], env, io, failed)).toBe(1);
    expect(io.stderr).toContain("task t1 ended FAILURE: boom");
    const running = captureIo();
    expect(await main(["result", "t1"], env, running, scriptedFetch({ "GET /v1/tasks/t1/result": [[202, view({ status: "STARTED", progress: 40 })]] }))).toBe(4);
    expect(running.stderr).toBe("task t1 is STARTED (40%): no result yet\n");
  });

  it("lists tasks as a table, or JSON, passing the filters on", async () => {
    const sent: { method: string; path: string; body: unknown }[] = [];
    const page = { tasks: [view({ task_id: "a1", status: "FAILURE", attempts: 3 }), view({ task_id: "b22", type: "testing.noop", queue: "default" })], next_cursor: null };
    const fetch = scriptedFetch({ "GET /v1/tasks?status=FAILURE&limit=2": [[200, page]] }, sent);
    const io = captureIo();
    expect(await main(["ls", "--status", "FAILURE", "--limit", "2"], env, io, fetch)).toBe(0);
    expect(io.stdout.split("\n")[0]).toBe("TASK ID  TYPE           QUEUE          STATUS   PROGRESS  ATTEMPTS  CREATED");
    expect(io.stdout.split("\n")[1]).toBe("a1       notify.system  notifications  FAILURE  0%        3/3       10:00:00");
    const json = captureIo();
    await main(["ls", "--status", "FAILURE", "--limit", "2", "--json"], env, json, fetch);
    expect(JSON.parse(json.stdout)).toEqual(page);
  });

  it("tail prints tasks that appear and outcomes that change, until stopped", async () => {
    const controller = new AbortController();
    const io = captureIo(false, controller.signal);
    const t1 = view({ task_id: "old", status: "SUCCESS" });
    const fetch = scriptedFetch({
      "GET /v1/tasks?limit=100": [
        [200, { tasks: [t1], next_cursor: null }],
        [200, { tasks: [view({ task_id: "new", status: "PENDING" }), t1], next_cursor: null }],
        [200, { tasks: [view({ task_id: "new", status: "FAILURE", error: { type: "Error", message: "boom" } }), t1], next_cursor: null }],
      ],
    });
    const lines = () => io.stdout.split("\n").filter(Boolean).map((l) => l.slice(10));
    const done = main(["tail", "--interval", "100"], env, io, fetch);
    while (lines().length < 2) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await done).toBe(0);
    expect(lines()).toEqual(["new  notify.system  PENDING", "new  notify.system  FAILURE  Error: boom"]);
  });

  it("creates a schedule from its options, and shows a group's members", async () => {
    const sent: { method: string; path: string; body: unknown }[] = [];
    const schedule = { name: "hourly", origin: "api", cron: "0 * * * *", time_zone: "UTC", task: "notify.system", payload: {}, description: "", state: "ENABLED", next_run: "2026-01-01T11:00:00.000Z", last_attempt_time: null, last_status: null, last_task_id: null };
    const group = {
      group_id: "g1", kind: "group", state: "STARTED", done: 1, total: 2, succeeded: 1, failed: 0, revoked: 0, submitted: 2, submit_errors: 0, error: null, created_at: null, callback: null, next_offset: null,
      members: [{ index: 0, ...view({ task_id: "m0", status: "SUCCESS", progress: 100 }) }, { index: 1, task_id: "m1", status: "EXPIRED" }],
    };
    const fetch = scriptedFetch({ "POST /v1/schedules": [[201, schedule]], "GET /v1/groups/g1": [[200, group]] }, sent);
    const io = captureIo();
    const args = ["schedules", "create", "hourly", "--cron", "0 * * * *", "--task", "notify.system", "--payload", '{"title":"x"}', "--time-zone", "UTC"];
    expect(await main(args, env, io, fetch)).toBe(0);
    expect(sent[0]!.body).toEqual({ name: "hourly", cron: "0 * * * *", task: "notify.system", payload: { title: "x" }, time_zone: "UTC" });
    expect(io.stdout).toContain("hourly  api     0 * * * *  UTC        notify.system  ENABLED  2026-01-01T11:00:00.000Z  -");
    const groups = captureIo();
    expect(await main(["groups", "g1"], env, groups, fetch)).toBe(0);
    expect(groups.stdout.split("\n").slice(0, 4)).toEqual([
      "group g1: STARTED, 1/2 done (1 succeeded, 0 failed, 0 revoked)",
      "#  TASK ID  TYPE           STATUS   PROGRESS",
      "0  m0       notify.system  SUCCESS  100%",
      "1  m1       -              EXPIRED  -",
    ]);
  });

  it("needs TQ_API_KEY, and refuses bad arguments with exit 2", async () => {
    const io = captureIo();
    expect(await main(["queues"], { TQ_URL: "http://api.test" }, io)).toBe(2);
    expect(io.stderr).toBe("tq: TQ_API_KEY is not set (npm run dev prints a dev key)\n");
    expect(await main(["cancel"], env, captureIo())).toBe(2);
  });
});
