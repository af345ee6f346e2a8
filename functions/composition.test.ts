// Every port a registered task (or an api service) declares has an adapter bound
// by composition: a task cannot declare a port nobody wires and fail only when it runs.
import { describe, expect, it } from "vitest";
import { createPlatform } from "./composition.ts";
import { registry } from "./registry.ts";
import { syncServiceUses } from "./tasks/sync/index.ts";
import { uploadUses } from "./tasks/media/index.ts";
import { userQuota } from "./tasks/users/ports.ts";
import type { PortUses } from "./core/port.ts";

describe("composition", () => {
  it("binds an adapter to every port a task or an api service declares, without building any", () => {
    const platform = createPlatform(() => { throw new Error("configuration is not read to check the wiring"); });
    const declared = [...registry.tasks.values()].flatMap((task) => Object.values(task.uses as PortUses).map((port) => ({ task: task.name, port: port.key })));
    declared.push(...[...Object.values(syncServiceUses), ...Object.values(uploadUses), userQuota].map((port) => ({ task: "api", port: port.key })));
    const unbound = declared.filter(({ port }) => !platform.ports.has({ key: port }));
    expect(unbound).toEqual([]);
    expect(declared.length).toBeGreaterThan(20);
  });

});
