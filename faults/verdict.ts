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

/** What the webhook receiver took: callback_url deliveries by task, chord callbacks' announcements by label. */
export interface Receipts {
  callbacks: Set<string>;
  announced: Map<string, Set<string>>;
}

/** What a delivery is about: a callback's event at its top level, a notification's under `data`. */
function about(r: ReceivedWebhook): { task_id?: string; label?: string } {
  const body = (r.body ?? {}) as { task_id?: string; data?: { task_id?: string; label?: string } };
  return body.data && typeof body.data === "object" ? body.data : body;
}

export function receiptsOf(receiver: WebhookReceiver): Receipts {
  const receipts: Receipts = { callbacks: new Set(), announced: new Map() };
  for (const r of receiver.received()) {
    const body = about(r);
    if (r.path === "/callbacks" && body.task_id) receipts.callbacks.add(body.task_id);
    if (r.headers["x-event"] === "chord_callback" && body.label && body.task_id) {
      const tasks = receipts.announced.get(body.label) ?? new Set<string>();
      tasks.add(body.task_id);
      receipts.announced.set(body.label, tasks);
    }
  }
  return receipts;
}

async function single(call: PlatformCall, a: Accepted, receipts: Receipts): Promise<Outcome> {
  const task = (await call<TaskView>("GET", `/v1/tasks/${a.id}`)).body;
  if (!FINAL.has(task.status)) return { state: "lost", tasks: 1, why: `task ${a.id} is ${task.status}` };
  if (a.unit.kind === "callback" && !receipts.callbacks.has(a.id)) return { state: "stuck", why: `task ${a.id} is ${task.status}, its callback_url never received it` };
  return { state: "done", complete: true };
}

async function group(call: PlatformCall, a: Accepted, receipts: Receipts): Promise<Outcome> {
  const g = (await call<GroupView>("GET", `/v1/groups/${a.id}`)).body;
  const open = g.members.filter((m) => !FINAL.has(m.status));
  const callbackId = g.callback ? { callbackId: g.callback.task_id } : {};
  // A chord's members are all submitted at once, a chain's first step too: one missing never ran.
  const missing = a.unit.kind === "chord" ? g.total - g.members.length : g.members.length === 0 ? 1 : 0;
  if (missing > 0 && a.partial) {
    // The 207 said so: the group must end visibly rather than wait forever.
    if (g.state === "FAILURE") return { state: "done", complete: false, ...callbackId };
    if (open.length === 0) return { state: "stuck", why: `${a.unit.kind} ${a.id}: answered 207, ${missing} members never submitted, yet ${g.state}`, ...callbackId };
  }
  if (open.length > 0 || (missing > 0 && !a.partial)) {
    return { state: "lost", tasks: open.length + (a.partial ? 0 : missing), why: `${a.unit.kind} ${a.id}: ${missing} members missing; ${open.map((m) => `${m.task_id} ${m.status}`).join(", ")}`, ...callbackId };
  }
  if (a.unit.kind === "chord") {
    if (g.state === "FAILURE" && !g.callback) return { state: "done", complete: false };
    if (!g.callback) return { state: "stuck", why: `chord ${a.id}: done ${g.done}/${g.total}, state ${g.state}, no callback` };
    if (!FINAL.has(g.callback.status)) return { state: "stuck", why: `chord ${a.id}: callback ${g.callback.task_id} is ${g.callback.status}`, ...callbackId };
    const announced = receipts.announced.get(a.label)?.size ?? 0;
    if (g.callback.status === "SUCCESS" && announced === 0) return { state: "stuck", why: `chord ${a.id}: callback ${g.callback.task_id} SUCCESS, but the receiver never heard of it`, ...callbackId };
    return { state: "done", complete: g.callback.status === "SUCCESS" && announced === 1, ...callbackId };
  }
  if (g.state === "SUCCESS" && g.done === g.total) return { state: "done", complete: true };
  if (g.state === "FAILURE") return { state: "done", complete: false };
  return { state: "stuck", why: `chain ${a.id}: ${g.members.length}/${g.total} steps, done ${g.done}, state ${g.state}` };
}

export async function outcomeOf(call: PlatformCall, a: Accepted, receipts: Receipts): Promise<Outcome> {
  try {
    return a.unit.path === "/v1/tasks" ? await single(call, a, receipts) : await group(call, a, receipts);
  } catch (error) {
    return { state: "lost", tasks: a.unit.tasks, why: `${a.id} could not be read: ${(error as Error).message}` };
  }
}

/** The delivery id a receiver dedupes on: the webhook-id header, else the task the body is about. */
function deliveryId(r: ReceivedWebhook): string {
  const header = r.headers["webhook-id"] ?? r.headers["x-delivery-id"] ?? r.headers["x-webhook-id"];
  if (typeof header === "string" && header) return header;
  return `${r.path} ${r.headers["x-event"] ?? ""} ${about(r).task_id ?? r.raw}`;
}

/** Deliveries taken more than once with one delivery id, among those about `ours` (task ids). */
export function duplicateEffects(received: ReceivedWebhook[], ours: Set<string>): { count: number; examples: string[] } {
  const seen = new Map<string, number>();
  for (const r of received) {
    if (!ours.has(about(r).task_id ?? "")) continue;
    const id = deliveryId(r);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const repeated = [...seen].filter(([, n]) => n > 1);
  return { count: repeated.reduce((sum, [, n]) => sum + n - 1, 0), examples: repeated.slice(0, 5).map(([id, n]) => `${id} ×${n}`) };
}
