// group, chain and chord through the API, on a stack of its own (so the test can
// replay deliveries with the emulator's signing key to inject duplicates).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, TASKS_SERVICE_ACCOUNT, type Stack } from "../../emulators/stack.ts";
import { createOidcSigner } from "../../emulators/oidc.ts";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

const signer = createOidcSigner();
let stack: Stack;
let api: ReturnType<typeof apiClient>;

type Group = { group_id: string; state: string; done: number; total: number; callback: { task_id: string; status: string } | null; members: { index: number; task_id: string; status: string; result?: unknown }[]; next_offset: number | null; error: string | null };

beforeAll(async () => {
  stack = await startStack({ signer, keyPrefix: "grp", logLevel: "warn", env: { LIFECYCLE_EVENTS: "off" } });
  api = apiClient(stack.apiUrl, stack.apiKey);
});
afterAll(async () => stack?.stop());

const group = (id: string, query = "") => api.call<Group>("GET", `/v1/groups/${id}${query}`);
const waitForGroup = (id: string, state: string, timeoutMs = 30_000) =>
  eventually(async () => {
    const g = (await group(id)).body;
    expect(g.state, JSON.stringify({ done: g.done, total: g.total, error: g.error })).toBe(state);
    return g;
  }, { timeoutMs, intervalMs: 100 });

describe("groups", () => {
  it("runs a group in parallel and returns results in member order", async () => {
    const submitted = await api.call<{ group_id: string; total: number }>("POST", "/v1/groups", {
      kind: "group", tasks: [1, 2, 3, 4, 5].map((n) => ({ type: "testing.add", payload: { value: n, add: 10 } })),
    });
    expect(submitted.status).toBe(202);
    await waitForGroup(submitted.body.group_id, "SUCCESS");
    const done = (await group(submitted.body.group_id, "?results=true")).body;
    expect(done).toMatchObject({ done: 5, total: 5 });
    expect(done.members.map((m) => m.result)).toEqual([11, 12, 13, 14, 15].map((value) => ({ value })));
  });

  it("hands each chain result to the next task", async () => {
    const submitted = await api.call<{ group_id: string }>("POST", "/v1/groups", {
      kind: "chain", tasks: [{ type: "testing.add", payload: { value: 1, add: 2 } }, { type: "testing.add", payload: { add: 3 } }, { type: "testing.add", payload: { add: 4 } }],
    });
    await waitForGroup(submitted.body.group_id, "SUCCESS");
    const done = (await group(submitted.body.group_id, "?results=true")).body;
    expect(done.members.map((m) => m.result)).toEqual([{ value: 3 }, { value: 6 }, { value: 10 }]);
  });

  it("stops a chain at a failing step", async () => {
    const submitted = await api.call<{ group_id: string }>("POST", "/v1/groups", {
      kind: "chain", tasks: [{ type: "testing.flaky", payload: { failures: 0, non_retryable: true } }, { type: "testing.add", payload: { add: 1 } }],
    });
    const failed = await waitForGroup(submitted.body.group_id, "FAILURE");
    expect(failed.members).toHaveLength(1);
    expect(failed.error).toContain("step 0");
  });

  it("refuses a tree with a bad member before writing anything", async () => {
    const bad = await api.call<{ error: { message: string } }>("POST", "/v1/groups", { kind: "group", tasks: [{ type: "testing.noop" }, { type: "no.such" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("tasks[1]");
    expect((await api.call("POST", "/v1/groups", { kind: "group", tasks: [] })).status).toBe(400);
    expect((await api.call("POST", "/v1/groups", { kind: "fan", tasks: [{ type: "testing.noop" }] })).status).toBe(400);
  });

  it("refuses a chord whose callback cannot accept {results, failed}, and a chain step that cannot accept the previous output", async () => {
    // notify.system's strict schema refuses `results`: at run time the callback could never be submitted.
    const chord = await api.call<{ error: { message: string } }>("POST", "/v1/groups", {
      kind: "chord", tasks: [{ type: "testing.noop" }, { type: "testing.noop" }], callback: { type: "notify.system", payload: { title: "t", message: "m" } },
    });
    expect(chord.status).toBe(400);
    expect(chord.body.error.message).toMatch(/callback: .*notify\.system.*results/);
    const chain = await api.call<{ error: { message: string } }>("POST", "/v1/groups", {
      kind: "chain", tasks: [{ type: "testing.noop" }, { type: "testing.sleep", payload: { seconds: 0 } }],
    });
    expect(chain.status).toBe(400);
    expect(chain.body.error.message).toContain('tasks[1]: chain step testing.sleep does not accept "ok"');
  });

  it("ends a group FAILURE, with the reason, when a follow-up is refused at run time (not retried forever)", async () => {
    // testing.add needs `add`; the previous step's output {ok} does not carry it (knowable only by running).
    const submitted = await api.call<{ group_id: string }>("POST", "/v1/groups", {
      kind: "chain", tasks: [{ type: "testing.noop" }, { type: "testing.add", payload: {} }],
    });
    expect(submitted.status).toBe(202);
    const failed = await waitForGroup(submitted.body.group_id, "FAILURE");
    expect(failed.error).toMatch(/chain step 1 \(testing\.add\) was refused: payload does not match testing\.add/);
    expect(failed.members.map((m) => m.status)).toEqual(["SUCCESS"]);
  });

  it("fails a chord whose member failed, naming it, and runs it with partial results when asked", async () => {
    const tasks = [{ type: "testing.noop" }, { type: "testing.flaky", payload: { failures: 0, non_retryable: true } }];
    const strict = await api.call<{ group_id: string }>("POST", "/v1/groups", { kind: "chord", tasks, callback: { type: "testing.collect" } });
    const failed = await waitForGroup(strict.body.group_id, "FAILURE");
    expect(failed.error).toContain("chord members failed");
    expect(failed.callback).toBeNull();
    const partial = await api.call<{ group_id: string }>("POST", "/v1/groups", { kind: "chord", tasks, callback: { type: "testing.collect" }, allow_partial: true });
    const done = await waitForGroup(partial.body.group_id, "SUCCESS");
    const result = await api.call<{ result: { count: number; failed: number } }>("GET", `/v1/tasks/${done.callback!.task_id}/result`);
    expect(result.body.result).toEqual({ count: 2, failed: 1 });
  });

  it("cancels a group: its queued members are revoked", async () => {
    expect((await api.call("POST", "/v1/queues/default/pause")).status).toBe(200);
    try {
      const submitted = await api.call<{ group_id: string }>("POST", "/v1/groups", { kind: "group", tasks: Array.from({ length: 5 }, () => ({ type: "testing.noop" })) });
      const cancelled = await api.call<{ revoked: number }>("POST", `/v1/groups/${submitted.body.group_id}/cancel`);
      expect(cancelled.body.revoked).toBe(5);
      const g = (await group(submitted.body.group_id)).body;
      expect(g.state).toBe("REVOKED");
      expect(g.members.every((m) => m.status === "REVOKED")).toBe(true);
    } finally {
      await api.call("POST", "/v1/queues/default/resume");
    }
  });

  it("fires a 1,000-member chord's callback exactly once, with duplicate deliveries injected", async () => {
    const total = 1000;
    const startedAt = Date.now();
    expect((await api.call("POST", "/v1/queues/default/pause")).status).toBe(200);
    let groupId = "";
    try {
      const submitted = await api.call<{ group_id: string; submitted: number }>("POST", "/v1/groups", {
        kind: "chord", tasks: Array.from({ length: total }, (_, n) => ({ type: "testing.noop", payload: { n } })), callback: { type: "testing.collect" },
      });
      expect(submitted.body.submitted).toBe(total);
      groupId = submitted.body.group_id;
      // While Cloud Tasks holds them, deliver every member to the worker twice at once, as a duplicating transport would.
      const ids: string[] = [];
      for (let offset: number | null = 0; offset !== null; ) {
        const page: Group = (await group(groupId, `?offset=${offset}`)).body;
        ids.push(...page.members.map((m) => m.task_id));
        offset = page.next_offset;
      }
      expect(ids).toHaveLength(total);
      const deliver = (id: string, n: number) =>
        fetch(stack.workerUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`,
            "X-CloudTasks-TaskName": id,
            "X-CloudTasks-TaskRetryCount": "0",
          },
          body: JSON.stringify({ v: 1, id, type: "testing.noop", payload: { n } }),
        }).then((r) => r.status);
      for (let start = 0; start < total; start += 50) {
        await Promise.all(ids.slice(start, start + 50).flatMap((id, i) => [deliver(id, start + i), deliver(id, start + i)]));
      }
    } finally {
      await api.call("POST", "/v1/queues/default/resume");
    }
    // The real deliveries arrive now too, and find every member finished.
    const done = await waitForGroup(groupId, "SUCCESS", 60_000);
    expect(done.done).toBe(total);
    const callbacks = await api.call<{ tasks: { task_id: string; created_at: string }[] }>("GET", "/v1/tasks?type=testing.collect&limit=500");
    const ours = callbacks.body.tasks.filter((t) => Date.parse(t.created_at) >= startedAt);
    expect(ours.map((t) => t.task_id)).toEqual([done.callback!.task_id]);
    const result = await api.call<{ result: { count: number; failed: number } }>("GET", `/v1/tasks/${done.callback!.task_id}/result`);
    expect(result.body.result).toEqual({ count: total, failed: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await group(groupId)).body.done).toBe(total);
  }, 120_000);
});
