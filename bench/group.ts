// Group throughput: a 1,000-member group of no-op tasks submitted as one tree
// (POST /v1/groups), timed until GET /v1/groups/{id} says SUCCESS; and what the
// group bookkeeping costs in Redis, member by member, counted at the bridge.
import { performance } from "node:perf_hooks";
import type { BenchContext } from "./api.ts";
import { count, perSecond, say, type SectionResult } from "./report.ts";

const MEMBERS = 1000;

export async function benchGroup(context: BenchContext): Promise<SectionResult> {
  const { api, stack } = context;
  const tasks = Array.from({ length: MEMBERS }, (_, n) => ({ type: "testing.noop", payload: { n } }));
  say(`group: ${MEMBERS} members`);
  await stack.bridge.resetStats();
  const started = performance.now();
  const submitted = await api.call<{ group_id: string; submitted: number }>("POST", "/v1/groups", { kind: "group", tasks });
  if (submitted.status !== 202) throw new Error(`POST /v1/groups answered ${submitted.status}`);
  const submitSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const group = await api.call<{ state: string; done: number }>("GET", `/v1/groups/${submitted.body.group_id}`);
    if (group.body.state === "SUCCESS") break;
    if (group.body.state === "FAILURE" || performance.now() - started > 180_000) throw new Error(`group ended ${group.body.state} at ${group.body.done}/${MEMBERS}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = stack.bridge.stats();
  // The same members as plain tasks cost 1 request to submit and 2 to run (section 3);
  // what a group adds is the group record, the member list and the polls above.
  const perMember = stats.requests / MEMBERS;
  return {
    figures: [
      { section: "6 group", figure: "1,000-member group throughput", value: `${perSecond(MEMBERS / seconds)} (done in ${seconds.toFixed(1)} s; POST /v1/groups took ${submitSeconds.toFixed(1)} s)` },
      { section: "6 group", figure: "Upstash requests per member (group bookkeeping)", value: `${count(perMember)} in all per member, of which ~3 are the member's own lifecycle (submit, claim, finish); the count inside the finish script adds 0 requests and 3 commands` },
    ],
    notes: [
      "Group: 1,000 testing.noop members submitted in batches of 100 by the api; each member's final state is counted inside the same Lua call that records it (no extra request), so a duplicate delivery counts once. The requests per member include the api's member-list writes (one per batch) and the bench's polling of GET /v1/groups.",
    ],
  };
}
