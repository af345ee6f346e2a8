// How soon a run whose worker died is taken over: a testing.hold task (hard
// limit 30 minutes) is let start, its worker SIGKILLed, and the seconds from
// the kill to a new run starting (a new started_at, or another attempt) are measured.
import type { PlatformCall } from "./platform-client.ts";
import type { WorkerControl } from "./worker-control.ts";

interface TaskView { status: string; attempts: number; started_at: string | null }

export interface TakeoverProbe {
  taskId: string | null;
  /** Seconds from the kill to the new run; null when none started within the wait. */
  seconds: number | null;
  note: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pollUntil<T>(check: () => Promise<T | null>, timeoutMs: number, intervalMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await check().catch(() => null);
    if (found !== null) return found;
    await pause(intervalMs);
  }
  return null;
}

export async function probeTakeover(call: PlatformCall, worker: WorkerControl, options: { holdSeconds: number; waitSeconds: number }): Promise<TakeoverProbe> {
  const submitted = await pollUntil(async () => {
    const answer = await call<{ task_id: string }>("POST", "/v1/tasks", { type: "testing.hold", payload: { seconds: options.holdSeconds } });
    return answer.status === 202 ? answer.body.task_id : null;
  }, 60_000, 500);
  if (!submitted) return { taskId: null, seconds: null, note: "the probe task was never accepted" };
  const view = async () => (await call<TaskView>("GET", `/v1/tasks/${submitted}`)).body;
  const first = await pollUntil(async () => {
    const task = await view();
    return task.status === "STARTED" && task.started_at ? task : null;
  }, 60_000, 200);
  if (!first) return { taskId: submitted, seconds: null, note: "the probe task never started" };
  await pause(1000);
  let killedAt = 0;
  await worker.kill(300, () => { killedAt = Date.now(); });
  const taken = await pollUntil(async () => {
    const task = await view();
    const newRun = (task.started_at && task.started_at !== first.started_at) || task.attempts > first.attempts;
    return newRun ? Date.now() : null;
  }, options.waitSeconds * 1000, 250);
  if (taken === null) return { taskId: submitted, seconds: null, note: `no new run within ${options.waitSeconds} s of the kill` };
  return { taskId: submitted, seconds: (taken - killedAt) / 1000, note: "taken over" };
}
