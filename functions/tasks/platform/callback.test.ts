// platform.callback hands its delivery to the callback sender with the task's
// tenant (whose secret signs it) and an id that is the same on every attempt.
import { describe, expect, it } from "vitest";
import type { CallbackDelivery } from "../../core/task-kit.ts";
import { testContext } from "../../core/testing/task-context.ts";
import { callback } from "./callback.ts";

function context(attempt: number, posted: CallbackDelivery[]) {
  const callbacks = { post: async (delivery: CallbackDelivery) => (posted.push(delivery), { status: 204 }) };
  return testContext(callback, { callbacks }, { taskId: "cb-task-1", tenant: "alice", attempt }).ctx;
}

describe("platform.callback", () => {
  it("signs as its tenant, with one delivery id across attempts", async () => {
    const posted: CallbackDelivery[] = [];
    const input = { url: "https://hooks.example.com/cb", event: { type: "task.succeeded" } };
    await callback.handler(input, context(1, posted));
    await callback.handler(input, context(2, posted));
    expect(posted.map((p) => p.tenant)).toEqual(["alice", "alice"]);
    expect(posted[0]!.id).toBe("msg_cb-task-1");
    expect(posted[1]!.id).toBe(posted[0]!.id);
    expect(posted[0]).toMatchObject({ url: input.url, body: input.event });
  });
});
