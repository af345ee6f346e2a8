// The console: one GET /v1/overview per refresh, and no refresh while the tab is
// hidden. A task's detail is read again only while that task is still live.
import { allows, call, saveKey, savedKey } from "./api.js";
import { byId, fill, h } from "./dom.js";
import { renderQueues, renderSchedules, renderTasks, renderWorkers } from "./views.js";
import { FINAL, renderDetail, renderGroup } from "./detail.js";
import { CHART_NOTE, drawCharts, record } from "./charts.js";

const EVERY_MS = Number(new URLSearchParams(location.search).get("refresh_ms")) || 3000;
const PAGE = 25;
const state = { me: null, filters: {}, cursors: [], cursor: null, detail: null, group: null };
let timer = null;

const can = (scope) => allows(state.me?.scopes, scope);
const tenantQuery = () => (state.filters.tenant ? `?tenant=${encodeURIComponent(state.filters.tenant)}` : "");

function showError(error) {
  byId("error").textContent = error ? error.message : "";
}

/** A button that calls the API, then refreshes what it changed. */
function act(label, method, path, body, danger = false) {
  return h("button", {
    type: "button", class: danger ? "action danger" : "action", "data-action": label.toLowerCase(),
    onclick: async (event) => {
      event.stopPropagation();
      event.target.disabled = true;
      try {
        const onTask = path.startsWith("/v1/tasks/");
        await call(method, path + (onTask ? tenantQuery() : ""), body);
        showError(null);
        // The task is live again (or ending): read it now, and on every refresh until it is final.
        if (onTask) await loadDetail();
      } catch (error) {
        showError(error);
      }
      await refresh();
    },
  }, label);
}

async function openTask(id) {
  state.detail = { task_id: id };
  byId("detail-section").hidden = false;
  await loadDetail();
  byId("detail-section").scrollIntoView({ block: "nearest" });
}

async function loadDetail() {
  if (!state.detail) return;
  try {
    state.detail = await call("GET", `/v1/tasks/${encodeURIComponent(state.detail.task_id)}/detail${tenantQuery()}`);
    renderDetail(state.detail, can, act, openGroup);
  } catch (error) {
    showError(error);
  }
}

async function openGroup(id) {
  byId("group-section").hidden = false;
  try {
    renderGroup(await call("GET", `/v1/groups/${encodeURIComponent(id)}${tenantQuery()}`), openTask);
  } catch (error) {
    showError(error);
  }
}

function bulkRetry(tasks) {
  const failed = tasks.filter((t) => t.status === "FAILURE");
  if (!can("submit") || failed.length === 0) return fill("bulk");
  // The API retries one task per call: the button walks this page's failures.
  fill("bulk", h("button", {
    type: "button", class: "action", "data-action": "bulk-retry",
    onclick: async (event) => {
      event.target.disabled = true;
      let done = 0;
      for (const t of failed) {
        await call("POST", `/v1/tasks/${encodeURIComponent(t.task_id)}/retry${tenantQuery()}`).then(() => done++, showError);
      }
      fill("bulk", h("span", { class: "muted" }, `retried ${done} of ${failed.length}`));
      await refresh();
    },
  }, `Retry ${failed.length} ${failed.length === 1 ? "failure" : "failures"} on this page`));
}

async function refresh() {
  if (!state.me) return;
  const query = new URLSearchParams({ limit: String(PAGE) });
  for (const [name, value] of Object.entries(state.filters)) if (value) query.set(name, value);
  if (state.cursor) query.set("cursor", state.cursor);
  try {
    const overview = await call("GET", `/v1/overview?${query}`);
    renderQueues(overview.queues, can, act);
    drawCharts(byId("charts"), record(overview));
    renderTasks(overview.tasks, openTask);
    bulkRetry(overview.tasks);
    renderWorkers(overview.workers);
    renderSchedules(overview.schedules, can, act);
    byId("older").disabled = !(overview.next_cursor && overview.tasks.length === PAGE);
    byId("older").dataset.cursor = overview.next_cursor ?? "";
    byId("newer").disabled = state.cursors.length === 0;
    byId("page").textContent = `page ${state.cursors.length + 1}`;
    const queues = byId("f-queue");
    if (queues.options.length === 1) overview.queues.forEach((q) => queues.append(h("option", {}, q.name)));
    if (state.detail && !FINAL.includes(state.detail.status)) await loadDetail();
    else if (state.detail) renderDetail(state.detail, can, act, openGroup);
    showError(null);
  } catch (error) {
    showError(error);
  }
}

/** The next refresh, unless the tab is hidden: visibilitychange starts it again. */
function schedule() {
  clearTimeout(timer);
  timer = null;
  if (document.visibilityState === "hidden" || !state.me) return;
  timer = setTimeout(tick, EVERY_MS);
}

async function tick() {
  await refresh();
  schedule();
}

function showLive() {
  byId("live").textContent = !state.me ? "" : document.visibilityState === "hidden" ? "paused (tab hidden)" : `live, every ${EVERY_MS / 1000}s`;
}

async function signIn() {
  state.me = null;
  showLive();
  if (!savedKey()) return showError(new Error("enter an API key"));
  try {
    state.me = await call("GET", "/v1/whoami");
  } catch (error) {
    fill("who");
    return showError(error);
  }
  fill("who", `${state.me.name} · tenant ${state.me.tenant} · ${state.me.scopes.join(", ")}`);
  byId("f-tenant").hidden = !can("admin");
  showLive();
  await tick();
}

byId("key").value = savedKey();
byId("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveKey(byId("key").value);
  signIn();
});
byId("forget").addEventListener("click", () => {
  saveKey("");
  byId("key").value = "";
  clearTimeout(timer);
  location.reload();
});
byId("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  state.filters = { status: byId("f-status").value, queue: byId("f-queue").value, type: byId("f-type").value.trim(), tenant: can("admin") ? byId("f-tenant").value.trim() : "" };
  state.cursors = [];
  state.cursor = null;
  refresh();
});
byId("older").addEventListener("click", () => {
  state.cursors.push(state.cursor);
  state.cursor = byId("older").dataset.cursor || null;
  refresh();
});
byId("newer").addEventListener("click", () => {
  state.cursor = state.cursors.pop() ?? null;
  refresh();
});
byId("close-detail").addEventListener("click", () => {
  state.detail = null;
  byId("detail-section").hidden = true;
});
document.addEventListener("visibilitychange", () => {
  showLive();
  if (document.visibilityState === "hidden") {
    clearTimeout(timer);
    timer = null;
  } else if (state.me) tick();
});
byId("charts-note").textContent = CHART_NOTE;
signIn();
