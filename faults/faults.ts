// The faults a run injects, each applied and healed within its own call, and
// the loop that injects them at random while work is under way. Each uses a
// fault control documented in emulators/README.md ("Fault controls").
import type { Stack } from "../emulators/stack.ts";
import type { OidcSigner } from "../emulators/oidc.ts";
import type { Random } from "./random.ts";
import type { SubmitFigures } from "./submitter.ts";
import { deliverTwice } from "./duplicates.ts";
import type { WorkerControl } from "./worker-control.ts";

export const FaultName = [
  "worker-kill", "worker-stop", "redis-stall", "upstash-restart", "cloud-tasks-refuse",
  "pubsub-down", "receiver-5xx", "receiver-hang", "duplicate-deliveries",
] as const;
export type FaultName = (typeof FaultName)[number];

export interface FaultContext {
  stack: Stack;
  signer: OidcSigner;
  worker: WorkerControl;
  random: Random;
  submitted: SubmitFigures;
}

const pause = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/** SIGSTOP a process for a while, then SIGCONT (a stall: its connections stay open and hang). */
async function stallProcess(process: { kill(signal: NodeJS.Signals): boolean }, seconds: number): Promise<void> {
  process.kill("SIGSTOP");
  try {
    await pause(seconds);
  } finally {
    process.kill("SIGCONT");
  }
}

const FAULTS: Record<FaultName, (c: FaultContext) => Promise<void>> = {
  "worker-kill": (c) => c.worker.kill(c.random.between(0.2, 1.5) * 1000),
  "worker-stop": (c) => c.worker.stall(c.random.between(1, 5) * 1000),
  "redis-stall": (c) => stallProcess(c.stack.redis.process, c.random.between(1, 4)),
  "upstash-restart": async (c) => {
    await c.stack.stopBridge();
    try { await pause(c.random.between(0.5, 3)); } finally { await c.stack.startBridge(); }
  },
  "cloud-tasks-refuse": async (c) => {
    const seconds = c.random.between(2, 6);
    c.stack.cloudTasks.refuseCreateTask(seconds);
    await pause(seconds);
  },
  "pubsub-down": (c) => stallProcess(c.stack.pubsub.process, c.random.between(2, 6)),
  "receiver-5xx": async (c) => {
    const seconds = c.random.between(2, 6);
    c.stack.receiver.failFor(c.random.pick([500, 502, 503]), seconds);
    await pause(seconds);
  },
  "receiver-hang": async (c) => {
    // Past the senders' timeout (NOTIFY_TIMEOUT_MS, 5 s in a fault run).
    const seconds = c.random.between(6, 9);
    c.stack.receiver.hangFor(seconds);
    await pause(seconds);
  },
  "duplicate-deliveries": async (c) => {
    const accepted = c.submitted.accepted;
    if (accepted.length === 0) return;
    // Some recent (likely still queued or running), some older (likely finished).
    const chosen = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? accepted[accepted.length - 1 - c.random.int(0, Math.min(30, accepted.length - 1))] : c.random.pick(accepted))!);
    await deliverTwice(c.stack, c.signer, chosen);
  },
};

function applyFault(name: FaultName, context: FaultContext): Promise<void> {
  return FAULTS[name](context);
}

/** Every fault once, in a random order. */
function shuffled(random: Random, names: readonly FaultName[]): FaultName[] {
  const order = [...names];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Injects faults one after another, a random pause between, in rounds that each
 * hold every fault once in a random order (so a short run still meets them all),
 * until `until()` says stop and at least one round is done; answers how many of each.
 */
export async function injectFaults(context: FaultContext, names: readonly FaultName[], until: () => boolean, log: (line: string) => void): Promise<Record<FaultName, number>> {
  const counts = Object.fromEntries(FaultName.map((name) => [name, 0])) as Record<FaultName, number>;
  if (names.length === 0) return counts;
  let round: FaultName[] = shuffled(context.random, names);
  for (let rounds = 0; rounds === 0 || !until(); ) {
    await pause(context.random.between(0.5, 3));
    if (round.length === 0) {
      rounds += 1;
      round = shuffled(context.random, names);
      if (until()) break;
    }
    const name = round.shift()!;
    counts[name] += 1;
    log(`fault ${name}`);
    await applyFault(name, context).catch((error: unknown) => log(`fault ${name} failed to apply: ${(error as Error).message}`));
  }
  return counts;
}
