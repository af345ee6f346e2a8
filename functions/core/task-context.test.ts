// A handler's ctx holds the ports its task declared and no other, in its type and
// at run time; ctx.enqueue takes a definition and its input type; continueAsNew
// submits the same task type, idempotently per run.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createExecutor } from "./executor.ts";
import { createRegistry } from "./registry.ts";
import { defineQueue } from "./queues.ts";
import { defineTask, type TaskContext } from "./define-task.ts";
import { FieldCipher } from "./sensitive-fields.ts";
import { blobs, kv, type BlobStore, type KeyValueStore, type Logger, type TaskStore } from "./ports.ts";
import { PortBindings, port } from "./port.ts";
import type { SubmitRequest } from "./submit.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const speech = port<{ say(text: string): string }>("speech");

const seen: Record<string, unknown> = {};

const child = defineTask({ name: "t.child", queue: "default", input: z.strictObject({ n: z.number() }), output: z.object({}), handler: async () => ({}) });

const withKv = defineTask({
  name: "t.with_kv", queue: "default", uses: { kv }, input: z.object({}), output: z.object({}),
  handler: async (_input, ctx) => {
    seen.kv = ctx.kv;
    seen.keys = Object.keys(ctx).filter((key) => ["kv", "blobs", "speech"].includes(key));
    seen.blobsIn = "blobs" in ctx;
    seen.speechIn = "speech" in ctx;
    return {};
  },
});

const chaining = defineTask({
  name: "t.chaining", queue: "default", input: z.strictObject({ round: z.number() }), output: z.object({}),
  handler: async (input, ctx) => {
    await ctx.enqueue(child, { n: input.round });
    await ctx.continueAsNew({ round: input.round + 1 });
    return {};
  },
});

// Compile-time checks: tsc (npm run lint) fails if any of these lines stops being an error.
export function typeChecks(ctx: TaskContext<typeof withKv.uses, z.input<typeof chaining.input>>) {
  void ctx.kv.get("a");
  // @ts-expect-error blobs was not declared by this task
  void ctx.blobs;
  // @ts-expect-error nor was a domain's port
  void ctx.speech;
  // @ts-expect-error a task is enqueued by its definition, never by its name
  void ctx.enqueue("t.child", { n: 1 });
  // @ts-expect-error the child's input is checked against its schema
  void ctx.enqueue(child, { n: "one" });
  // @ts-expect-error a continuation takes this task's own input
  void ctx.continueAsNew({ round: "2" });
  void defineTask({
    name: "t.undeclared", queue: "default", input: z.object({}), output: z.object({}),
    // @ts-expect-error a handler cannot reach a port its task did not declare
    handler: async (_input, c) => ({ size: (await c.blobs.stat("x"))?.bytes }),
  });
}

function harness(type: string, payload: string) {
  const submitted: SubmitRequest[] = [];
  const store = {
    claim: async () => ({ kind: "claimed", attempt: 1, revokeRequested: false, priority: "normal", type, tenant: "acme", payload }),
    finish: async () => ({ owned: true, followUps: [], finishedAt: 1 }),
    progress: async () => ({ revokeRequested: false }),
  } as unknown as TaskStore;
  const memoryKv = {} as KeyValueStore;
  let blobsBuilt = 0;
  const ports = new PortBindings()
    .bind(kv, () => memoryKv)
    .bind(blobs, () => (blobsBuilt++, {} as BlobStore))
    .bind(speech, () => ({ say: (text: string) => text }));
  const executor = createExecutor({
    registry: createRegistry({ queues: [defineQueue({ name: "default" })], tasks: [child, withKv, chaining] }),
    store, queue: { enqueue: async () => undefined } as never, cipher: new FieldCipher(null), log: silent, ports, workerId: "w", revision: "r",
    submit: async (request) => (submitted.push(request), { taskId: `child-${submitted.length}`, status: "PENDING" } as never),
    leaseMs: 30_000, revokePollMs: 10, plannedFollowUps: () => [], runFollowUp: async () => undefined,
  });
  const deliver = () => executor.deliver({ v: 2, id: "id-1" }, { cloudTask: "id-1" });
  return { deliver, submitted, memoryKv, blobsBuilt: () => blobsBuilt };
}

describe("a handler's ctx", () => {
  it("carries the ports its task declared, and the others are not there at all", async () => {
    const h = harness("t.with_kv", "{}");
    expect((await h.deliver()).status).toBe(200);
    expect(seen.kv).toBe(h.memoryKv);
    expect(seen.keys).toEqual(["kv"]);
    expect(seen.blobsIn).toBe(false);
    expect(seen.speechIn).toBe(false);
    expect(h.blobsBuilt()).toBe(0);
  });

  it("enqueues a child by its definition, and continues as a new task of its own type", async () => {
    const h = harness("t.chaining", JSON.stringify({ round: 1 }));
    expect((await h.deliver()).status).toBe(200);
    expect(h.submitted).toEqual([
      expect.objectContaining({ type: "t.child", payload: { n: 1 }, origin: "platform", tenant: "acme" }),
      expect.objectContaining({ type: "t.chaining", payload: { round: 2 }, idempotencyKey: "task:id-1:continuation" }),
    ]);
    expect(h.submitted[0]).not.toHaveProperty("idempotencyKey");
  });
});
