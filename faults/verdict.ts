// What became of every unit the platform accepted, read back through the API
// and the webhook receiver: lost (a task never final), stuck (final, but a
// follow-up never ran), chords with exactly one callback, chains complete.
import type { WebhookReceiver, ReceivedWebhook } from "../emulators/webhook-receiver/index.ts";
import type { PlatformCall } from "./platform-client.ts";
import type { Accepted } from "./submitter.ts";

const FINAL = new Set(["SUCCESS", "FAILURE", "REVOKED"]);

interface TaskView { task_id: string; status: string }
interface GroupView { state: string; done: number; total: number; callback: TaskView | null; members: TaskView[]; error: string | null }

export type Outcome = (
  | { state: "done"; complete: boolean }
  | { state: "lost"; tasks: number; why: string }
  | { state: "stuck"; why: string }
) & { /** A chord's callback task, once it has one. */ callbackId?: string };

async function single(call: PlatformCall, a: Accepted, receipts: Set<string>): Promise<Outcome> {
  const task = (await call<TaskView>("GET", `/v1/tasks/${a.id}`)).body;
  if (!FINAL.has(task.status)) return { state: "lost", tasks: 1, why: `task ${a.id} is ${task.status}` };
  if (a.unit.kind === "callback" && !receipts.has(a.id)) return { state: "stuck", why: `task ${a.id} is ${task.status}, its callback_url never received it` };
  return { state: "done", complete: true };
}

async function group(call: PlatformCall, a: Accepted): Promise<Outcome> {
  const g = (await call<GroupView>("GET", `/v1/groups/${a.id}`)).body;
  const open = g.members.filter((m) => !FINAL.has(m.status));
  const callbackId = g.callback ? { callbackId: g.callback.task_id } : {};
  if (open.length > 0) return { state: "lost", tasks: open.length, why: `${a.unit.kind} ${a.id}: ${open.map((m) => `${m.task_id} ${m.status}`).join(", ")}`, ...callbackId };
  if (a.unit.kind === "chord") {
    if (g.state === "FAILURE" && !g.callback) return { state: "done", complete: false };
    if (!g.callback) return { state: "stuck", why: `chord ${a.id}: done ${g.done}/${g.total}, state ${g.state}, no callback` };
    if (!FINAL.has(g.callback.status)) return { state: "stuck", why: `chord ${a.id}: callback ${g.callback.task_id} is ${g.callback.status}`, ...callbackId };
    return { state: "done", complete: g.callback.status === "SUCCESS", callbackId: g.callback.task_id };
  }
  if (g.state === "SUCCESS" && g.done === g.total) return { state: "done", complete: true };
  if (g.state === "FAILURE") return { state: "done", complete: false };
  return { state: "stuck", why: `chain ${a.id}: ${g.members.length}/${g.total} steps, done ${g.done}, state ${g.state}` };
}

/** Task ids whose outcome the receiver took at /callbacks. */
export function callbackReceipts(receiver: WebhookReceiver): Set<string> {
  return new Set(receiver.received().filter((r) => r.path === "/callbacks").map((r) => (r.body as { task_id?: string }).task_id ?? ""));
}

export async function outcomeOf(call: PlatformCall, a: Accepted, receipts: Set<string>): Promise<Outcome> {
  try {
    return a.unit.path === "/v1/tasks" ? await single(call, a, receipts) : await group(call, a);
  } catch (error) {
    return { state: "lost", tasks: a.unit.tasks, why: `${a.id} could not be read: ${(error as Error).message}` };
  }
}

/** The delivery id a receiver dedupes on: the webhook-id header, else the task the body is about. */
export function deliveryId(r: ReceivedWebhook): string {
  const header = r.headers["webhook-id"] ?? r.headers["x-delivery-id"] ?? r.headers["x-webhook-id"];
  if (typeof header === "string" && header) return header;
  return `${r.path} ${(r.body as { task_id?: string }).task_id ?? r.raw}`;
}

/** Deliveries taken more than once with one delivery id, among those about `ours`. */
export function duplicateEffects(received: ReceivedWebhook[], ours: Set<string>): { count: number; examples: string[] } {
  const seen = new Map<string, number>();
  for (const r of received) {
    if (!ours.has((r.body as { task_id?: string }).task_id ?? "")) continue;
    const id = deliveryId(r);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const repeated = [...seen].filter(([, n]) => n > 1);
  return { count: repeated.reduce((sum, [, n]) => sum + n - 1, 0), examples: repeated.slice(0, 5).map(([id, n]) => `${id} ×${n}`) };
}

/** How many chord callbacks (testing.collect tasks) exist in all: more than the chords' own means one ran twice. */
export async function callbackTasks(call: PlatformCall): Promise<number> {
  let count = 0;
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page: { status: number; body: { tasks: unknown[]; next_cursor: string | null } } =
      await call("GET", `/v1/tasks?type=testing.collect&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (page.status !== 200) throw new Error(`listing callbacks answered ${page.status}`);
    count += page.body.tasks.length;
    cursor = page.body.next_cursor;
  }
  return count;
}
