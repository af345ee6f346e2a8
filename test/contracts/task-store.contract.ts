// One TaskStore contract, run against the in-memory store (unit project) and the Redis store behind the
// Upstash bridge (emulators project). The Redis scripts are the truth: a difference is a memory-store bug,
// or a Lua bug to report, never a test to loosen.
import { describe } from "vitest";
import { lifecycleContract } from "./task-store-lifecycle.contract.ts";
import { readsContract } from "./task-store-reads.contract.ts";
import { indexContract } from "./task-store-index.contract.ts";
import { overviewContract } from "./task-store-overview.contract.ts";
import { rateContract } from "./task-store-rate.contract.ts";
import type { MakeSubject } from "./task-store-subject.ts";

export type { MakeSubject } from "./task-store-subject.ts";

export function describeTaskStoreContract(name: string, make: MakeSubject): void {
  describe(`TaskStore contract: ${name}`, () => {
    lifecycleContract(make);
    readsContract(make);
    indexContract(make);
    overviewContract(make);
    rateContract(make);
  });
}
