// After the faults: wait, within a bound, for every accepted unit to end with its
// follow-ups, then count what did not.
import type { Stack } from "../emulators/stack.ts";
import type { PlatformCall } from "./platform-client.ts";
import type { Accepted } from "./submitter.ts";
import { duplicateEffects, outcomeOf, receiptsOf, type Outcome } from "./verdict.ts";

export interface Settled {
  lost: number;
  stuck: number;
  duplicates: number;
  chords: number;
  chordsOk: number;
  chains: number;
  chainsOk: number;
  /** A few of what went wrong, for the log. */
  examples: string[];
}

async function outcomes(call: PlatformCall, stack: Stack, units: Accepted[]): Promise<Outcome[]> {
  const receipts = receiptsOf(stack.receiver);
  const results: Outcome[] = new Array(units.length);
  let next = 0;
  const lane = async () => {
    while (next < units.length) {
      const i = next++;
      results[i] = await outcomeOf(call, units[i]!, receipts);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return results;
}

export async function settle(call: PlatformCall, stack: Stack, accepted: Accepted[], settleSeconds: number, log: (line: string) => void): Promise<Settled> {
  const deadline = Date.now() + settleSeconds * 1000;
  let open = accepted;
  const final = new Map<Accepted, Outcome>();
  for (;;) {
    const round = await outcomes(call, stack, open);
    open = open.filter((a, i) => {
      final.set(a, round[i]!);
      return round[i]!.state !== "done";
    });
    if (open.length === 0 || Date.now() > deadline) break;
    log(`settling: ${open.length} of ${accepted.length} not done yet`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  const all = accepted.map((a) => ({ a, o: final.get(a)! }));
  const chords = all.filter(({ a }) => a.unit.kind === "chord");
  const chains = all.filter(({ a }) => a.unit.kind === "chain");
  // Chord callbacks announce themselves to the receiver by label: two callback tasks for one label ran twice.
  const announced = receiptsOf(stack.receiver).announced;
  const callbackRuns = chords.map(({ a }) => [...(announced.get(a.label) ?? [])]);
  const extraCallbacks = callbackRuns.reduce((sum, runs) => sum + Math.max(0, runs.length - 1), 0);
  const ours = new Set([...accepted.map((a) => a.id), ...callbackRuns.flat()]);
  const dup = duplicateEffects(stack.receiver.received(), ours);
  const bad = all.filter(({ o }) => o.state !== "done").map(({ o }) => (o.state === "done" ? "" : `${o.state}: ${o.why}`));
  return {
    lost: all.reduce((sum, { a, o }) => sum + (o.state === "lost" ? Math.min(o.tasks, a.tasks) : 0), 0),
    stuck: all.filter(({ o }) => o.state === "stuck").length,
    duplicates: dup.count + extraCallbacks,
    chords: chords.length,
    chordsOk: chords.filter(({ o }) => o.state === "done" && o.complete).length,
    chains: chains.length,
    chainsOk: chains.filter(({ o }) => o.state === "done" && o.complete).length,
    examples: [...bad.slice(0, 10), ...dup.examples.map((e) => `duplicate: ${e}`), ...(extraCallbacks ? [`${extraCallbacks} chord callbacks ran more than once`] : [])],
  };
}
