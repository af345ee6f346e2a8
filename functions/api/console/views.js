// The overview's tables: queues, tasks, workers, schedules. Action buttons are
// built only when the key's scopes allow them (the api refuses them anyway).
import { ago, h, seconds, status, table } from "./dom.js";

/** act(label, run, danger?) → a button that runs an API call and refreshes. */
export function renderQueues(queues, can, act) {
  table("queues", ["queue", "state", "pending", "scheduled", "started", "retry", "succeeded", "failed", "revoked", "done/min", "wait s", "run s", ...(can("admin") ? [""] : [])],
    queues.map((q) => [
      q.name, status(q.state), q.counts.PENDING, q.counts.SCHEDULED, q.counts.STARTED, q.counts.RETRY,
      q.counts.totals.SUCCESS, q.counts.totals.FAILURE, q.counts.totals.REVOKED, q.finished_last_minute,
      seconds(q.latency.mean_wait_seconds), seconds(q.latency.mean_run_seconds),
      ...(can("admin") ? [q.state === "PAUSED"
        ? act("Resume", "POST", `/v1/queues/${encodeURIComponent(q.name)}/resume`)
        : act("Pause", "POST", `/v1/queues/${encodeURIComponent(q.name)}/pause`, undefined, true)] : []),
    ]));
}

export function renderTasks(tasks, open) {
  table("tasks", ["task", "type", "queue", "tenant", "status", "progress", "attempts", "created", "message / error"],
    tasks.map((t) => h("tr", { class: "link", "data-task": t.task_id, onclick: () => open(t.task_id) },
      h("td", {}, h("a", { href: `#task/${t.task_id}` }, t.task_id)), h("td", {}, t.type), h("td", {}, t.queue), h("td", {}, t.tenant),
      h("td", {}, status(t.status)), h("td", {}, `${t.progress}%`), h("td", {}, `${t.attempts}/${t.max_attempts}`), h("td", {}, ago(t.created_at)),
      h("td", {}, t.error ? `${t.error.type}: ${t.error.message}` : t.message ?? ""))),
    "no task matches");
}

export function renderWorkers(workers) {
  table("workers", ["instance", "revision", "last seen", "started", "running"],
    workers.map((w) => [w.instance, w.revision, ago(w.last_seen), ago(w.started_at), w.running.join(", ") || "–"]), "no worker seen in the last minute");
}

export function renderSchedules(schedules, can, act) {
  if (schedules === null) return table("schedules", ["schedule"], [], "Cloud Scheduler is unreachable");
  const path = (s, action) => `/v1/schedules/${encodeURIComponent(s.name)}/${action}`;
  table("schedules", ["schedule", "origin", "task", "cron", "state", "next run", "last status", ...(can("admin") ? [""] : [])],
    schedules.map((s) => [
      s.name, s.origin, s.task, s.cron, status(s.state), ago(s.next_run), s.last_status ?? "–",
      ...(can("admin") ? [h("span", { class: "actions" },
        s.state === "PAUSED" ? act("Resume", "POST", path(s, "resume")) : s.state === "ENABLED" ? act("Pause", "POST", path(s, "pause"), undefined, true) : null,
        act("Trigger", "POST", path(s, "trigger")))] : []),
    ]), "no schedules");
}
