// A task's detail (payload, result, error with its traceback, attempts, live
// progress, the actions its state and the key allow) and its group's members.
import { ago, fill, h, json, status, table } from "./dom.js";

export const FINAL = ["SUCCESS", "FAILURE", "REVOKED"];

function attempts(t) {
  // The record keeps its latest attempt's times and counts the earlier ones.
  return h("ol", { class: "timeline" },
    h("li", {}, "created ", ago(t.created_at)),
    t.eta ? h("li", {}, "due ", ago(t.eta)) : null,
    t.started_at ? h("li", {}, `attempt ${t.attempts} of ${t.max_attempts} started `, ago(t.started_at)) : h("li", { class: "muted" }, "not started yet"),
    t.status === "RETRY" ? h("li", {}, status("RETRY"), t.error ? ` after ${t.error.type}; next attempt ` : "; next attempt ", ago(t.next_attempt_at)) : null,
    t.finished_at ? h("li", {}, "ended ", status(t.status), " ", ago(t.finished_at)) : null);
}

function actions(t, can, act) {
  if (!can("submit")) return null;
  const path = (a) => `/v1/tasks/${encodeURIComponent(t.task_id)}/${a}`;
  const buttons = [
    t.status === "FAILURE" ? act("Retry", "POST", path("retry")) : null,
    ["PENDING", "SCHEDULED", "RETRY"].includes(t.status) ? act("Cancel", "POST", path("cancel"), {}, true) : null,
    t.status === "STARTED" ? act("Terminate", "POST", path("cancel"), { terminate: true }, true) : null,
  ].filter(Boolean);
  return buttons.length ? h("div", { class: "actions" }, buttons) : null;
}

export function renderDetail(t, can, act, openGroup) {
  fill("detail-id", t.task_id);
  fill("detail",
    actions(t, can, act),
    h("dl", {},
      h("dt", {}, "status"), h("dd", { id: "detail-status" }, status(t.status)),
      h("dt", {}, "progress"), h("dd", {}, h("progress", { max: 100, value: Math.max(0, Math.min(100, t.progress)) }), ` ${t.progress}% `, t.message ?? ""),
      h("dt", {}, "type"), h("dd", {}, t.type),
      h("dt", {}, "queue"), h("dd", {}, `${t.queue} (${t.priority})`),
      h("dt", {}, "tenant"), h("dd", {}, t.tenant),
      h("dt", {}, "attempts"), h("dd", {}, `${t.attempts} of ${t.max_attempts}`),
      t.group_id ? [h("dt", {}, "group"), h("dd", {}, h("a", { href: `#group/${t.group_id}`, onclick: (e) => { e.preventDefault(); openGroup(t.group_id); } }, t.group_id))] : null),
    h("h3", {}, "Attempts"), attempts(t),
    h("h3", {}, "Payload"), h("div", { id: "detail-payload" }, json(t.payload)),
    t.status === "SUCCESS" ? [h("h3", {}, "Result"), h("div", { id: "detail-result" }, json(t.result))] : null,
    t.error ? [
      h("h3", {}, "Error"),
      h("p", { id: "detail-error" }, h("strong", { class: "FAILURE" }, t.error.type), ": ", t.error.message),
      t.error.traceback ? h("pre", { id: "detail-traceback" }, t.error.traceback) : h("p", { class: "muted" }, "no traceback recorded"),
    ] : null);
}

export function renderGroup(g, open) {
  fill("group-id", `${g.group_id} (${g.kind})`);
  const summary = h("p", {}, status(g.state), ` ${g.done}/${g.total} done: ${g.succeeded} succeeded, ${g.failed} failed, ${g.revoked} revoked`, g.error ? ` — ${g.error}` : "");
  fill("group", summary, h("table", { id: "group-members" }));
  table("group-members", ["#", "task", "type", "status", "progress"],
    g.members.map((m) => h("tr", { class: "link", onclick: () => open(m.task_id) },
      h("td", {}, m.index), h("td", {}, m.task_id), h("td", {}, m.type ?? ""), h("td", {}, status(m.status)), h("td", {}, m.progress === undefined ? "" : `${m.progress}%`))));
}
