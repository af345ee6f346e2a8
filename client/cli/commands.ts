// What each tq command does, over the typed client. Output goes through Io so
// tests can see it; the exit code says how it went (see Exit).
import { setTimeout as sleep } from "node:timers/promises";
import { TaskFailedError, type TaskPlatformClient, type TaskView } from "../index.ts";
import { numberOption, readPayload, UsageError, type Invocation, type ScheduleAction } from "./args.ts";
import * as f from "./format.ts";

export const Exit = { ok: 0, taskFailed: 1, usage: 2, api: 3, notFinished: 4 } as const;
export type Exit = (typeof Exit)[keyof typeof Exit];

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: the progress line redraws in place. */
  tty: boolean;
  /** The terminal's width: a longer progress line would wrap and break the redraw. */
  columns?: number;
  color: boolean;
  /** Stops tail (Ctrl-C). */
  signal?: AbortSignal;
}

type Run = (inv: Invocation, client: TaskPlatformClient, io: Io) => Promise<Exit>;

const print = (inv: Invocation, io: Io, value: unknown, human: () => string): Exit => {
  io.out(inv.json ? f.json(value) : human());
  return Exit.ok;
};

const submit: Run = async (inv, client, io) => {
  const style = { color: io.color };
  const [type] = inv.operands as [string];
  const o = inv.options;
  const priority = o.priority;
  if (priority !== undefined && priority !== "normal" && priority !== "high") throw new UsageError(`--priority is normal or high; got "${String(priority)}"`);
  const accepted = await client.submitAny(type, readPayload(o.payload as string | undefined), {
    ...(o.countdown !== undefined ? { countdown: numberOption(o, "countdown")! } : {}),
    ...(priority ? { priority } : {}),
    ...(typeof o["idempotency-key"] === "string" ? { idempotencyKey: o["idempotency-key"] } : {}),
  });
  if (!o.wait) {
    // The id alone on stdout, so ID=$(tq submit …) works; the rest is for people.
    if (!inv.json) io.err(`submitted ${type}: ${accepted.status}\n`);
    return print(inv, io, accepted, () => `${accepted.task_id}\n`);
  }
  const timeoutSeconds = numberOption(o, "timeout", 1) ?? 300;
  if (!inv.json) io.err(`submitted ${type} as ${accepted.task_id}\n`);
  let last: TaskView | undefined;
  let logged = "";
  const onProgress = (task: TaskView) => {
    last = task;
    if (io.tty) io.err(`\r\u001b[2K${f.progressLine(style, task, io.columns)}`);
    else if (!inv.json && f.progressKey(task) !== logged) io.err(f.progressLogLine(task));
    logged = f.progressKey(task);
  };
  try {
    const result = await client.wait(accepted.task_id, { timeoutMs: timeoutSeconds * 1000, onProgress, ...(io.signal ? { signal: io.signal } : {}) });
    if (io.tty) io.err("\n");
    if (inv.json) return print(inv, io, { task_id: accepted.task_id, status: "SUCCESS", result }, () => "");
    io.err(f.outcomeLine(style, last!));
    io.out(f.json(result));
    return Exit.ok;
  } catch (error) {
    if (io.tty) io.err("\n");
    if (!(error instanceof TaskFailedError)) throw error;
    const { task } = error;
    if (inv.json) io.out(f.json({ task_id: task.task_id, status: task.status, error: task.error }));
    io.err(f.outcomeLine(style, task));
    return Exit.taskFailed;
  }
};

const result: Run = async (inv, client, io) => {
  const [id] = inv.operands as [string];
  const answer = await client.result(id);
  if (answer.done) return print(inv, io, { task_id: id, status: "SUCCESS", result: answer.result }, () => f.json(answer.result));
  if (inv.json) io.out(f.json(answer.task));
  io.err(`task ${id} is ${answer.task.status} (${Math.round(answer.task.progress)}%): no result yet\n`);
  return Exit.notFinished;
};

const cancel: Run = async (inv, client, io) => {
  const answer = await client.cancel(inv.operands[0]!, { terminate: inv.options.terminate === true });
  return print(inv, io, answer, () =>
    answer.status === "REVOKED"
      ? `${answer.task_id} REVOKED${answer.cloud_task_deleted ? " (its Cloud Task deleted)" : ""}\n`
      : `${answer.task_id} still STARTED: termination requested, it ends REVOKED\n`,
  );
};

const schedules: Run = async (inv, client, io) => {
  const style = { color: io.color };
  const [action, name] = inv.operands as [ScheduleAction, string];
  const o = inv.options;
  const show = (s: Awaited<ReturnType<TaskPlatformClient["schedules"]["pause"]>>) => print(inv, io, s, () => f.scheduleTable(style, [s]));
  switch (action) {
    case "ls": {
      const list = await client.schedules.list();
      return print(inv, io, list, () => f.scheduleTable(style, list));
    }
    case "create":
      return show(await client.schedules.create({
        name, cron: o.cron as string, task: o.task as string,
        ...(o.payload !== undefined ? { payload: readPayload(o.payload as string) as Record<string, unknown> } : {}),
        ...(typeof o["time-zone"] === "string" ? { time_zone: o["time-zone"] } : {}),
        ...(typeof o.description === "string" ? { description: o.description } : {}),
      }));
    case "pause":
      return show(await client.schedules.pause(name));
    case "resume":
      return show(await client.schedules.resume(name));
    case "trigger": {
      const t = await client.schedules.trigger(name);
      return print(inv, io, t, () => `${t.schedule}: started ${t.task_id} (${t.status})${t.duplicate ? ", a duplicate of this slot" : ""}\n`);
    }
    case "rm": {
      const d = await client.schedules.delete(name);
      return print(inv, io, d, () => `deleted schedule ${d.name}\n`);
    }
  }
};

/** Follows the newest tasks: prints each new one, and each change of state, until stopped. */
const tail: Run = async (inv, client, io) => {
  const style = { color: io.color };
  const o = inv.options;
  const intervalMs = numberOption(o, "interval", 100) ?? 1000;
  const filter = {
    ...(typeof o.status === "string" ? { status: o.status as TaskView["status"] } : {}),
    ...(typeof o.queue === "string" ? { queue: o.queue } : {}),
    ...(typeof o.type === "string" ? { type: o.type } : {}),
  };
  let seen: Map<string, string> | undefined;
  if (!inv.json) io.err("following new tasks and their outcomes (Ctrl-C stops)\n");
  while (!io.signal?.aborted) {
    const { tasks } = await client.list({ ...filter, limit: 100 });
    const now = new Map(tasks.map((t) => [t.task_id, t.status]));
    // The first page is what already happened; only changes from then on are printed.
    if (seen) {
      for (const t of [...tasks].reverse()) {
        if (seen.get(t.task_id) === t.status) continue;
        if (inv.json) io.out(`${JSON.stringify({ at: new Date().toISOString(), task_id: t.task_id, type: t.type, status: t.status, error: t.error })}\n`);
        else io.out(`${f.clock(new Date().toISOString())}  ${t.task_id}  ${t.type}  ${f.status(style, t.status)}${t.error ? `  ${t.error.type}: ${t.error.message}` : ""}\n`);
      }
    }
    seen = now;
    await sleep(intervalMs, undefined, io.signal ? { signal: io.signal } : {}).catch(() => undefined);
  }
  return Exit.ok;
};

export const commands: Record<Exclude<Invocation["command"], "help">, Run> = {
  submit,
  result,
  cancel,
  schedules,
  tail,
  status: async (inv, client, io) => {
    const t = await client.status(inv.operands[0]!);
    return print(inv, io, t, () => f.taskDetails({ color: io.color }, t));
  },
  ls: async (inv, client, io) => {
    const o = inv.options;
    const page = await client.list({
      ...(typeof o.status === "string" ? { status: o.status as TaskView["status"] } : {}),
      ...(typeof o.queue === "string" ? { queue: o.queue } : {}),
      ...(typeof o.type === "string" ? { type: o.type } : {}),
      ...(o.limit !== undefined ? { limit: numberOption(o, "limit", 1)! } : {}),
    });
    return print(inv, io, page, () => f.taskTable({ color: io.color }, page.tasks) + (page.next_cursor ? "(more: raise --limit)\n" : ""));
  },
  retry: async (inv, client, io) => {
    const a = await client.retry(inv.operands[0]!);
    return print(inv, io, a, () => `${a.task_id} ${a.status} (running again)\n`);
  },
  queues: async (inv, client, io) => {
    const list = await client.queues.list();
    return print(inv, io, list, () => f.queueTable({ color: io.color }, list));
  },
  pause: async (inv, client, io) => {
    const q = await client.queues.pause(inv.operands[0]!);
    return print(inv, io, q, () => `queue ${q.name} ${q.state}\n`);
  },
  resume: async (inv, client, io) => {
    const q = await client.queues.resume(inv.operands[0]!);
    return print(inv, io, q, () => `queue ${q.name} ${q.state}\n`);
  },
  groups: async (inv, client, io) => {
    const g = await client.groups.get(inv.operands[0]!, { results: inv.options.results === true });
    return print(inv, io, g, () => f.groupDetails({ color: io.color }, g));
  },
};
