// The work a fault run submits: single tasks (no-op, notification, sleep, one
// with a callback_url to the webhook receiver), chords and chains, in a fixed
// proportion, until the tasks they hold reach the count asked for.
import type { Random } from "./random.ts";

type UnitKind = "noop" | "notify" | "sleep" | "callback" | "chord" | "chain";

/** One submission: POST /v1/tasks or POST /v1/groups. A chord's callback payload carries a label, set per attempt. */
export interface Unit {
  label: string;
  kind: UnitKind;
  path: "/v1/tasks" | "/v1/groups";
  body: Record<string, unknown>;
  /** Tasks it holds (a group's members; not a chord's callback, which is a follow-up). */
  tasks: number;
}

const WEIGHTS: readonly (readonly [UnitKind, number])[] = [
  ["noop", 30], ["notify", 18], ["sleep", 8], ["callback", 16], ["chord", 14], ["chain", 14],
];
const GROUP_SIZE = 3;

function unit(kind: UnitKind, label: string, random: Random, receiverUrl: string): Unit {
  const task = (body: Record<string, unknown>): Unit => ({ label, kind, path: "/v1/tasks", body: { ...body, idempotency_key: label }, tasks: 1 });
  switch (kind) {
    case "noop":
      return task({ type: "testing.noop", payload: { n: random.int(0, 1e6) } });
    case "notify":
      return task({ type: "notify.system", payload: { notification_type: "info", title: `fault run ${label}`, message: "under faults" } });
    case "sleep":
      return task({ type: "testing.sleep", payload: { seconds: Math.round(random.between(0.2, 1.5) * 10) / 10 } });
    case "callback":
      return task({ type: "testing.noop", payload: { n: random.int(0, 1e6) }, callback_url: `${receiverUrl}/callbacks` });
    case "chord":
      return {
        label, kind, path: "/v1/groups", tasks: GROUP_SIZE,
        body: { kind: "chord", tasks: Array.from({ length: GROUP_SIZE }, (_, n) => ({ type: "testing.noop", payload: { n } })), callback: { type: "testing.announce", payload: { label } } },
      };
    case "chain":
      return {
        label, kind, path: "/v1/groups", tasks: GROUP_SIZE,
        body: { kind: "chain", tasks: [{ type: "testing.add", payload: { value: 1, add: 1 } }, ...Array.from({ length: GROUP_SIZE - 1 }, () => ({ type: "testing.add", payload: { add: 1 } }))] },
      };
  }
}

/** Units holding at least `tasks` tasks, labelled `run`-N. */
export function buildMix(tasks: number, run: string, random: Random, receiverUrl: string): Unit[] {
  const units: Unit[] = [];
  for (let held = 0; held < tasks; ) {
    const next = unit(random.weighted(WEIGHTS), `${run}-${units.length}`, random, receiverUrl);
    units.push(next);
    held += next.tasks;
  }
  return units;
}
