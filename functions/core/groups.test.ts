import { describe, expect, it } from "vitest";
import { groupState, submitGroup, type GroupDeps } from "./groups.ts";
import { MemoryGroupStore } from "./testing/memory-group-store.ts";
import type { Logger, TaskStore } from "./ports.ts";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describe("submitGroup", () => {
  it("ends a group FAILURE, saying why, when some members could not be submitted (it could never complete)", async () => {
    const groups = new MemoryGroupStore();
    let n = 0;
    const deps: GroupDeps = {
      groups, store: {} as TaskStore, open: (v) => v, log: silent,
      submit: async () => {
        n += 1;
        if (n === 2) throw new Error("Cloud Tasks refused");
        return { taskId: `t${n}`, status: "PENDING", created: true };
      },
    };
    const group = await submitGroup(deps, { kind: "group", tasks: [{ type: "a" }, { type: "a" }, { type: "a" }] }, { tenant: "acme" });
    expect(group).toMatchObject({ submitted: 2, submitErrors: 1, error: "1 of 3 members could not be submitted" });
    expect(groupState(group, null)).toBe("FAILURE");
  });

  it("refuses the whole submit, leaving no group, when no member could be submitted", async () => {
    const groups = new MemoryGroupStore();
    const refused = new Error("Cloud Tasks refused");
    const deps: GroupDeps = { groups, store: {} as TaskStore, open: (v) => v, log: silent, submit: async () => { throw refused; } };
    await expect(submitGroup(deps, { kind: "chain", tasks: [{ type: "a" }, { type: "b" }] }, { tenant: "acme", idempotencyKey: "k" })).rejects.toBe(refused);
    await expect(submitGroup({ ...deps, submit: async () => ({ taskId: "t1", status: "PENDING", created: true }) }, { kind: "chain", tasks: [{ type: "a" }, { type: "b" }] }, { tenant: "acme", idempotencyKey: "k" }))
      .resolves.toMatchObject({ submitted: 1, submitErrors: 0 });
  });
});
