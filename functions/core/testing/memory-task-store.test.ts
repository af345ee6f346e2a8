// The TaskStore contract against the in-memory store: no servers, the clock is the test's.
import { describeTaskStoreContract } from "../../../test/contracts/task-store.contract.ts";
import { MemoryTaskStore } from "./memory-task-store.ts";

describeTaskStoreContract("memory", async ({ queues, tenants }) => {
  const clock = { now: Date.now() };
  const store = new MemoryTaskStore({ queues, tenants: () => tenants, now: () => clock.now });
  return {
    store, groups: store.groups, rateLimiter: store.rateLimiter, clock,
    letTimePass: async (ms) => {
      clock.now += ms;
    },
  };
});
