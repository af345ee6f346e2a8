// callback_url at submit: judged by the OutboundUrlPolicy port before anything is
// written or queued; a refusal is a 400 naming the field; no policy, no callbacks.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTask } from "./define-task.ts";
import { defineQueue } from "./queues.ts";
import { createRegistry } from "./registry.ts";
import { submitTask, type SubmitDeps } from "./submit.ts";
import { SubmissionError } from "./errors.ts";
import { FieldCipher } from "./sensitive-fields.ts";
import type { OutboundUrlPolicy } from "./outbound-url-policy.ts";
import type { EnqueueRequest, TaskQueue, TaskStore } from "./ports.ts";
import type { NewTask } from "./task-record.ts";

const noop = defineTask({ name: "testing.noop", queue: "default", input: z.object({}), output: z.object({}), handler: async () => ({}) });

function harness(outbound?: OutboundUrlPolicy) {
  const records: NewTask[] = [];
  const enqueued: EnqueueRequest[] = [];
  const store = { create: async (task: NewTask) => (records.push(task), { created: true as const }), remove: async () => undefined } as unknown as TaskStore;
  const queue = { enqueue: async (request: EnqueueRequest) => void enqueued.push(request) } as unknown as TaskQueue;
  const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log };
  const deps: SubmitDeps = {
    registry: createRegistry({ queues: [defineQueue({ name: "default" })], tasks: [noop] }),
    store, queue, cipher: new FieldCipher(null), log, maxTaskBytes: 1_000_000, ...(outbound ? { outbound } : {}),
  };
  return { deps, records, enqueued };
}

const policy = (allowed: (url: string) => boolean): OutboundUrlPolicy & { asked: string[] } => {
  const asked: string[] = [];
  return { asked, check: async (url) => (asked.push(url), allowed(url) ? { allowed: true } : { allowed: false, reason: "127.0.0.1 is a loopback address" }) };
};

describe("callback_url at submit", () => {
  it("asks the policy, then stores the URL it allowed", async () => {
    const outbound = policy(() => true);
    const { deps, records } = harness(outbound);
    await submitTask(deps, { type: "testing.noop", payload: {}, callbackUrl: "https://hooks.example.com/cb" });
    expect(outbound.asked).toEqual(["https://hooks.example.com/cb"]);
    expect(records[0]!.callbackUrl).toBe("https://hooks.example.com/cb");
  });

  it("refuses, naming the field, and writes and queues nothing", async () => {
    const { deps, records, enqueued } = harness(policy(() => false));
    const error = await submitTask(deps, { type: "testing.noop", payload: {}, callbackUrl: "https://127.0.0.1/cb" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubmissionError);
    expect(error).toMatchObject({ code: "invalid_callback_url", details: { fields: [{ path: "callback_url" }] } });
    expect((error as Error).message).toMatch(/^callback_url: will not be called: 127\.0\.0\.1 is a loopback address/);
    expect(records).toEqual([]);
    expect(enqueued).toEqual([]);
  });

  it("accepts no callback_url at all without a policy (fails closed)", async () => {
    const { deps, records } = harness();
    await expect(submitTask(deps, { type: "testing.noop", payload: {}, callbackUrl: "https://hooks.example.com/cb" })).rejects.toMatchObject({ code: "invalid_callback_url" });
    expect(records).toEqual([]);
    await submitTask(deps, { type: "testing.noop", payload: {} });
    expect(records).toHaveLength(1);
  });
});
