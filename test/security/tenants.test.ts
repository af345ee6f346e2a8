// Tenants through HTTP: two tenants on one stack cannot see, list, cancel,
// redrive or collide with each other's tasks, groups, uploads, events or
// idempotency keys; an admin can, when it says so.
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { KEYS } from "./global-setup.ts";

const { apiUrl, adminKey } = inject("security");
const alice = apiClient(apiUrl, KEYS.aliceSubmit);
const aliceReader = apiClient(apiUrl, KEYS.aliceRead);
const bob = apiClient(apiUrl, KEYS.bobSubmit);
const admin = apiClient(apiUrl, adminKey);

const unique = () => `k-${Math.random().toString(36).slice(2)}`;

async function failedTask(client: ReturnType<typeof apiClient>): Promise<string> {
  const { body } = await client.submit("testing.flaky", { failures: 0, non_retryable: true });
  await client.waitFor(body.task_id, "FAILURE");
  return body.task_id;
}

describe("tasks across tenants", () => {
  it("answers 404 to another tenant for every route that names a task, and 200 to the owner's keys", async () => {
    const id = await failedTask(alice);
    const routes: [string, string, unknown?][] = [
      ["GET", `/v1/tasks/${id}`], ["GET", `/v1/tasks/${id}/result`], ["GET", `/tts/status/${id}`],
      ["POST", `/v1/tasks/${id}/cancel`, {}], ["POST", `/v1/tasks/${id}/retry`, {}],
    ];
    for (const [method, path, body] of routes) {
      const answer = await bob.call(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
    // The admin sees its own tenant and the platform's by default: alice's only when it asks.
    expect((await admin.call("GET", `/v1/tasks/${id}`)).status).toBe(404);
    expect((await admin.call("GET", `/v1/tasks/${id}?tenant=alice`)).status).toBe(200);
    expect((await admin.call("GET", `/v1/tasks/${id}?tenant=*`)).status).toBe(200);
    expect((await admin.call("GET", `/v1/tasks/${id}?tenant=bob`)).status).toBe(404);
    expect((await aliceReader.call("GET", `/v1/tasks/${id}`)).status).toBe(200);
    expect((await aliceReader.call("GET", `/v1/tasks/${id}/result`)).status).toBe(409);
    // Still FAILURE: bob's retry did nothing. Alice's own works.
    expect((await alice.call<{ status: string }>("GET", `/v1/tasks/${id}`)).body.status).toBe("FAILURE");
    expect((await alice.call("POST", `/v1/tasks/${id}/retry`, {})).status).toBe(202);
  });

  it("lists only the caller's tenant, and every tenant only for an admin that asks", async () => {
    const aliceId = (await alice.submit("testing.noop", { n: 1 })).body.task_id;
    const bobId = (await bob.submit("testing.noop", { n: 2 })).body.task_id;
    const ids = async (client: ReturnType<typeof apiClient>, query = "") =>
      (await client.call<{ tasks: { task_id: string }[] }>("GET", `/v1/tasks?limit=500${query}`)).body.tasks.map((t) => t.task_id);
    expect(await ids(alice)).toContain(aliceId);
    expect(await ids(alice)).not.toContain(bobId);
    expect(await ids(bob)).toContain(bobId);
    expect(await ids(bob)).not.toContain(aliceId);
    expect(await ids(aliceReader)).toContain(aliceId);
    expect(await ids(admin)).not.toContain(aliceId);
    expect(await ids(admin, "&tenant=alice")).toEqual(expect.arrayContaining([aliceId]));
    expect(await ids(admin, "&tenant=alice")).not.toContain(bobId);
    expect(await ids(admin, "&tenant=*")).toEqual(expect.arrayContaining([aliceId, bobId]));
    // Only an admin may name a tenant; a key naming its own is fine.
    expect((await bob.call("GET", "/v1/tasks?tenant=alice")).status).toBe(403);
    expect((await bob.call("GET", "/v1/tasks?tenant=*")).status).toBe(403);
    expect((await bob.call("GET", "/v1/tasks?tenant=bob")).status).toBe(200);
    const failures = async (client: ReturnType<typeof apiClient>) =>
      (await client.call<{ tasks: { task_id: string }[] }>("GET", "/v1/tasks?status=FAILURE&limit=500")).body.tasks.map((t) => t.task_id);
    const aliceFailure = await failedTask(alice);
    expect(await failures(alice)).toContain(aliceFailure);
    expect(await failures(bob)).not.toContain(aliceFailure);
  });
});

describe("groups across tenants", () => {
  it("answers 404 to another tenant's GET and cancel, and shows the group to an admin that asks", async () => {
    const { status, body } = await alice.call<{ group_id: string }>("POST", "/v1/groups", {
      kind: "group", tasks: [{ type: "testing.sleep", payload: { seconds: 2 } }, { type: "testing.sleep", payload: { seconds: 2 } }],
    });
    expect(status).toBe(202);
    expect((await bob.call("GET", `/v1/groups/${body.group_id}`)).status).toBe(404);
    expect((await bob.call("POST", `/v1/groups/${body.group_id}/cancel`, {})).status).toBe(404);
    expect((await admin.call("GET", `/v1/groups/${body.group_id}`)).status).toBe(404);
    expect((await admin.call("GET", `/v1/groups/${body.group_id}?tenant=alice`)).status).toBe(200);
    const group = await eventually(async () => {
      const answer = await alice.call<{ state: string; members: { status: string }[] }>("GET", `/v1/groups/${body.group_id}`);
      if (answer.body.state !== "SUCCESS") throw new Error(`group is ${answer.body.state}`);
      return answer.body;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    // Bob's cancel revoked nothing.
    expect(group.members.every((m) => m.status === "SUCCESS")).toBe(true);
  });
});

describe("uploads across tenants", () => {
  it("refuses a media task naming another tenant's upload as if it did not exist", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    const uploaded = await fetch(`${apiUrl}/v1/uploads`, { method: "POST", headers: { "X-API-Key": KEYS.aliceSubmit, "Content-Type": "image/png" }, body: new Uint8Array(png) });
    expect(uploaded.status).toBe(201);
    const { gs_uri: uri } = (await uploaded.json()) as { gs_uri: string };
    expect(uri).toContain("/media/alice/uploads/");
    const theirs = await bob.submit("media.background_removal", { image: uri });
    expect(theirs.status).toBe(400);
    expect(JSON.stringify(theirs.body)).toMatch(/does not exist/);
    const mine = await alice.submit("media.background_removal", { image: uri });
    expect(mine.status).toBe(202);
  });
});

describe("idempotency keys", () => {
  it("are per tenant: the same key from two tenants makes two tasks", async () => {
    const key = unique();
    const first = await alice.submit("testing.noop", { n: 1 }, { idempotency_key: key });
    const again = await alice.submit("testing.noop", { n: 1 }, { idempotency_key: key });
    const other = await bob.submit("testing.noop", { n: 1 }, { idempotency_key: key });
    expect([first.status, again.status, other.status]).toEqual([202, 202, 202]);
    expect(again.body.task_id).toBe(first.body.task_id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(other.body.task_id).not.toBe(first.body.task_id);
    expect((await bob.call("GET", `/v1/tasks/${other.body.task_id}`)).status).toBe(200);
  });

  it("answers 409 idempotency_key_reused for the same key with another type or body; key order does not matter", async () => {
    const key = unique();
    const first = await alice.submit("testing.add", { value: 1, add: 2 }, {}, { "Idempotency-Key": key });
    expect(first.status).toBe(202);
    const reordered = await alice.call<{ task_id: string }>("POST", "/v1/tasks", { payload: { add: 2, value: 1 }, type: "testing.add" }, { "Idempotency-Key": key });
    expect(reordered.body.task_id).toBe(first.body.task_id);
    for (const [type, payload] of [["testing.add", { value: 1, add: 3 }], ["testing.noop", { n: 1 }]] as const) {
      const answer = await alice.submit(type, payload, {}, { "Idempotency-Key": key });
      expect(answer.status).toBe(409);
      expect((answer.body as unknown as { error: { code: string } }).error.code).toBe("idempotency_key_reused");
    }
  });

  it("keeps events apart by tenant, and refuses a key reused for another event body", async () => {
    const key = unique();
    const event = { user_id: "u-1", conversation_id: "c-1", message_id: "m-1", query: "hi", answer: "hello", tokens_used: 3, processing_time_ms: 10 };
    const post = (client: ReturnType<typeof apiClient>, body: unknown) =>
      client.call<{ event_id: string }>("POST", "/v1/events/query.completed", body, { "Idempotency-Key": key });
    const a = await post(alice, event);
    const b = await post(bob, event);
    expect([a.status, b.status]).toEqual([202, 202]);
    // Each tenant's subscriptions ran for its own event: bob sees a task of his own from it.
    await eventually(async () => {
      const { body } = await bob.call<{ tasks: { type: string }[] }>("GET", "/v1/tasks?type=user.update_statistics&limit=50");
      if (body.tasks.length === 0) throw new Error("no task from bob's event yet");
    }, { timeoutMs: 30_000, intervalMs: 250 });
    const reused = await post(alice, { ...event, tokens_used: 4 });
    expect(reused.status).toBe(409);
  });
});

describe("what runs is what the record says", () => {
  const { workerUrl, workerToken } = inject("security");
  const deliver = (cloudTask: string, body: unknown) =>
    fetch(workerUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${workerToken}`, "Content-Type": "application/json", "X-CloudTasks-TaskName": cloudTask, "X-CloudTasks-QueueName": "default" },
      body: JSON.stringify(body),
    });

  it("runs the stored type and payload whatever a replayed delivery names", async () => {
    const { body } = await alice.submit("testing.add", { value: 40, add: 2 });
    const forged = await deliver(body.task_id, { v: 1, id: body.task_id, type: "testing.noop", payload: { n: 666 } });
    // Run now, or "busy" while Cloud Tasks' own delivery holds the task: either way, the record's task runs.
    expect([200, 503]).toContain(forged.status);
    await alice.waitFor(body.task_id, "SUCCESS");
    const result = await alice.call<{ result: unknown }>("GET", `/v1/tasks/${body.task_id}/result`);
    expect(result.body.result).toEqual({ value: 42 });
  });

  it("runs nothing before the ETA, whatever a replayed delivery says", async () => {
    const { body } = await alice.submit("testing.noop", { n: 1 }, { countdown: 3600 });
    const forged = await deliver(body.task_id, { v: 1, id: body.task_id, type: "notify.system", payload: { notification_type: "info", title: "forged", message: "forged" } });
    expect(forged.status).toBe(503);
    expect(Number(forged.headers.get("retry-after"))).toBeGreaterThan(3000);
    const status = await alice.status(body.task_id);
    expect(status.body.status).toBe("SCHEDULED");
    expect(status.body.attempts).toBe(0);
  });
});
