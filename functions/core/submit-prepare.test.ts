// A task's submit-time prepare step: it runs after validation and before the
// record is written; what it returns is what is stored and carried; a refusal
// leaves nothing written and nothing queued.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTask } from "./define-task.ts";
import { defineQueue } from "./queues.ts";
import { createRegistry } from "./registry.ts";
import { submitTask, type SubmitDeps } from "./submit.ts";
import { SubmissionError } from "./errors.ts";
import { FieldCipher } from "./sensitive-fields.ts";
import { blobs, type BlobStore, type EnqueueRequest, type TaskQueue, type TaskStore } from "./ports.ts";
import { PortBindings } from "./port.ts";
import type { NewTask } from "./task-record.ts";

const moved = defineTask({
  name: "testing.moved",
  queue: "default",
  uses: { blobs },
  input: z.strictObject({ blob: z.string().min(1), n: z.number().default(1) }),
  output: z.object({}),
  prepare: async (input, ctx) => {
    if (input.blob === "refuse") throw new SubmissionError("invalid_payload", "payload.blob: refused", { fields: [{ path: "payload.blob", message: "refused" }] });
    if (input.blob === "broken") return { blob: "" };
    const stored = await ctx.blobs.put(`in/${ctx.taskId}`, Buffer.from(input.blob), { contentType: "text/plain" });
    return { ...input, blob: stored.uri };
  },
  handler: async () => ({}),
});

function harness() {
  const records: NewTask[] = [];
  const enqueued: EnqueueRequest[] = [];
  const puts: string[] = [];
  const store = { create: async (task: NewTask) => (records.push(task), { created: true as const }), remove: async () => undefined } as unknown as TaskStore;
  const queue = { enqueue: async (request: EnqueueRequest) => void enqueued.push(request) } as unknown as TaskQueue;
  const ports = new PortBindings().bind(blobs, () => ({ put: async (path: string) => (puts.push(path), { uri: `gs://b/${path}`, bytes: 1 }) }) as unknown as BlobStore);
  const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log };
  const deps: SubmitDeps = {
    registry: createRegistry({ queues: [defineQueue({ name: "default" })], tasks: [moved] }),
    store, queue, cipher: new FieldCipher(null), log, maxTaskBytes: 1_000_000, ports,
  };
  return { deps, records, enqueued, puts };
}

describe("submit with a prepare step", () => {
  it("stores what prepare returned, under the task's own id; the Cloud Task carries only the id", async () => {
    const { deps, records, enqueued, puts } = harness();
    const { taskId } = await submitTask(deps, { type: "testing.moved", payload: { blob: "large bytes" } });
    expect(puts).toEqual([`in/${taskId}`]);
    expect(JSON.parse(records[0]!.payload)).toEqual({ blob: `gs://b/in/${taskId}`, n: 1 });
    expect(JSON.parse(enqueued[0]!.body)).toEqual({ v: 2, id: taskId });
  });

  it("does not run prepare on a payload that fails validation", async () => {
    const { deps, puts } = harness();
    await expect(submitTask(deps, { type: "testing.moved", payload: { blob: 3 } })).rejects.toMatchObject({ code: "invalid_payload" });
    expect(puts).toEqual([]);
  });

  it("writes and queues nothing when prepare refuses", async () => {
    const { deps, records, enqueued } = harness();
    await expect(submitTask(deps, { type: "testing.moved", payload: { blob: "refuse" } })).rejects.toMatchObject({ code: "invalid_payload", message: "payload.blob: refused" });
    expect(records).toEqual([]);
    expect(enqueued).toEqual([]);
  });

  it("refuses a prepared payload the task's own schema would refuse at execution", async () => {
    const { deps, records } = harness();
    await expect(submitTask(deps, { type: "testing.moved", payload: { blob: "broken" } })).rejects.toThrow(/prepare returned a payload its own schema refuses/);
    expect(records).toEqual([]);
  });

  it("needs ports to run a prepare step", async () => {
    const { deps } = harness();
    await expect(submitTask({ ...deps, ports: undefined }, { type: "testing.moved", payload: { blob: "x" } })).rejects.toThrow(/no ports/);
  });
});
