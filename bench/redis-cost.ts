// 3. Redis cost of one task lifecycle (submit, run, one status poll), counted at
// the Upstash bridge: HTTP requests, commands in those requests, and commands
// Redis executed (each EVALSHA and every redis.call inside it).
import type { Stack } from "../emulators/stack.ts";
import { connectRedis } from "../emulators/upstash/redis-link.ts";
import type { BenchApi } from "./api.ts";
import type { QueueControl } from "./queue-control.ts";
import { count, type Figure } from "./report.ts";

export interface RedisCost {
  requests: number;
  commands: number;
  executed: number;
  /** Executed commands by name, per task (from INFO commandstats). */
  byCommand: Record<string, number>;
}

export interface LifecycleCost {
  key: string;
  lifecycle: RedisCost;
  submit: RedisCost;
  run: RedisCost;
  poll: RedisCost;
  /** Status polls that did not find SUCCESS yet (should be 0: each poll waits for the delivery to be acknowledged). */
  extraPolls: number;
}

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** Calls per command name since the last CONFIG RESETSTAT, read on a connection of the bench's own. */
async function commandCalls(stack: Stack): Promise<Record<string, number>> {
  const connection = await connectRedis(stack.redis.port);
  try {
    const [info] = await connection.send([["INFO", "commandstats"]]);
    const calls: Record<string, number> = {};
    for (const match of String(info).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (match[1] !== "info" && !match[1]!.startsWith("config")) calls[match[1]!] = Number(match[2]);
    }
    return calls;
  } finally {
    connection.close();
  }
}

async function measured(stack: Stack, tasks: number, work: () => Promise<void>): Promise<RedisCost> {
  await stack.bridge.resetStats();
  await work();
  const stats = stack.bridge.stats();
  const executed = await stack.bridge.redisCommandsExecuted();
  const byCommand = Object.fromEntries(Object.entries(await commandCalls(stack)).map(([name, calls]) => [name, calls / tasks]));
  return { requests: stats.requests / tasks, commands: stats.commands / tasks, executed: executed / tasks, byCommand };
}

/** K lifecycles one after the other, then the same K split into phases. */
export async function lifecycleCost(stack: Stack, api: BenchApi, queues: QueueControl, key: string, tasks: number): Promise<LifecycleCost> {
  let extraPolls = 0;
  const pollUntilSuccess = async (id: string) => {
    for (let polls = 0; ; polls++) {
      const answer = await api.status(id);
      if (answer.body.status === "SUCCESS") return;
      if (polls > 1000) throw new Error(`task ${id} is ${answer.body.status} after ${polls} polls`);
      extraPolls++;
      await sleep(1);
    }
  };
  const lifecycle = await measured(stack, tasks, async () => {
    for (let i = 0; i < tasks; i++) {
      const id = await api.submit("testing.noop", { n: i });
      // The emulator forgets a task once the worker acknowledged it, after SUCCESS was written.
      await queues.waitGone("default", id);
      await pollUntilSuccess(id);
    }
  });

  // The phases, on one batch: submitted to the paused queue, run once it resumes, then polled.
  const ids: string[] = [];
  await queues.pause("default");
  const submit = await measured(stack, tasks, async () => {
    for (let i = 0; i < tasks; i++) ids.push(await api.submit("testing.noop", { n: i }));
  }).catch(async (error: unknown) => {
    await queues.resume("default");
    throw error;
  });
  const run = await measured(stack, tasks, async () => {
    await queues.resume("default");
    while (!(await queues.drained("default"))) await sleep(5);
  });
  const poll = await measured(stack, tasks, async () => {
    for (const id of ids) await pollUntilSuccess(id);
  });
  return { key, lifecycle, submit, run, poll, extraPolls };
}

export function costFigures(costs: LifecycleCost[]): Figure[] {
  const section = "3 Redis per task";
  const figures: Figure[] = [];
  for (const cost of costs) {
    const l = cost.lifecycle;
    figures.push(
      { section, figure: `lifecycle, ${cost.key}: Upstash HTTP requests`, value: count(l.requests), target: "≤ 4", met: l.requests <= 4 },
      { section, figure: `lifecycle, ${cost.key}: Redis commands executed (Lua inner calls included)`, value: `${count(l.executed)} (${count(l.commands)} sent)`, target: "≤ 12", met: l.executed <= 12 },
      { section, figure: `  submit, ${cost.key}`, value: describe(cost.submit), target: "1 request", met: cost.submit.requests <= 1 },
      { section, figure: `  run, ${cost.key}`, value: describe(cost.run), target: "≤ 2 requests", met: cost.run.requests <= 2 },
      { section, figure: `  poll, ${cost.key}`, value: describe(cost.poll), target: "1 request", met: cost.poll.requests <= 1 },
    );
  }
  return figures;
}

/** "evalsha 3, hset 3, hmget 3, …" */
export const commandMix = (cost: RedisCost) =>
  Object.entries(cost.byCommand).sort((a, b) => b[1] - a[1]).map(([name, calls]) => `${name} ${count(calls)}`).join(", ");

const describe = (cost: RedisCost) => `${count(cost.requests)} req, ${count(cost.commands)} sent, ${count(cost.executed)} executed`;
