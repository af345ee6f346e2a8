// The console at GET / (Flower's job, over the same API): a page, its script and
// style, served from functions/api/console/ so a locked-down deployment loads
// nothing from outside; and the three reads it needs beyond the public API:
// who the key is, one overview per refresh, and a task's stored detail.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ApiError, iso, sendJson } from "../../http/json.ts";
import { presentTask } from "../present.ts";
import { sees, tenantQuery } from "../tenancy.ts";
import { callerOf, listQuery, listRequest } from "./tasks.ts";
import { nextRuns } from "../../core/define-schedule.ts";
import type { ScheduleDefinition } from "../../core/define-schedule.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { dashboardHtml } from "../answers.ts";
import { consoleAsset, overview, taskDetail, whoami } from "./console-answers.ts";

// The page's own files, and the media type each is sent as.
const ASSETS = {
  "app.js": "text/javascript", "api.js": "text/javascript", "dom.js": "text/javascript", "views.js": "text/javascript",
  "detail.js": "text/javascript", "charts.js": "text/javascript", "app.css": "text/css",
} as const;
type AssetName = keyof typeof ASSETS;
const cache = new Map<string, string>();
const asset = (file: string) => {
  let text = cache.get(file);
  if (text === undefined) cache.set(file, (text = readFileSync(new URL(`../console/${file}`, import.meta.url), "utf8")));
  return text;
};

/** Tasks per queue the overview's live counts and latency are taken over (GET /v1/queues takes more). */
const QUEUE_SAMPLE = 100;

/** A sealed field (see core/sensitive-fields.ts) is shown masked, never opened, in the console. */
function maskSealed(json: string | undefined): unknown {
  if (json === undefined) return null;
  const value: unknown = JSON.parse(json);
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v && typeof v === "object" && "$enc" in v ? "•••• (sensitive)" : v]));
}

export function consoleRoutes(deps: ApiDeps, declared: () => ReadonlyMap<string, ScheduleDefinition>): Route[] {
  const send = (res: Parameters<Route["handle"]>[0]["res"], type: string, body: string) => {
    res.writeHead(200, {
      "Content-Type": `${type}; charset=utf-8`,
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
    });
    res.end(body);
  };
  return [
    {
      method: "GET", path: "/", scope: null, summary: "The console (tasks, queues, workers, schedules, groups)", operationId: "getConsole",
      doc: { responses: { 200: { mediaType: "text/html", schema: dashboardHtml } } },
      handle({ res }) {
        send(res, "text/html", asset("console.html"));
      },
    },
    {
      method: "GET", path: "/console/{file}", scope: null, summary: "The console's script and style", operationId: "getConsoleAsset",
      doc: { params: z.object({ file: z.enum(Object.keys(ASSETS) as [AssetName, ...AssetName[]]) }), responses: { 200: { mediaType: "text/plain", schema: consoleAsset } } },
      handle({ res, params }) {
        const file = params.file!;
        if (!Object.hasOwn(ASSETS, file)) throw new ApiError(404, "not_found", `no console file "${file}"`);
        send(res, ASSETS[file as AssetName], asset(file));
      },
    },
    {
      method: "GET", path: "/v1/whoami", scope: "read", summary: "The calling key: name, tenant, scopes", operationId: "whoami",
      doc: { responses: { 200: whoami } },
      handle(ctx) {
        const caller = callerOf(ctx);
        sendJson(ctx.res, 200, { name: caller.name, tenant: caller.tenant, scopes: caller.scopes });
      },
    },
    {
      method: "GET", path: "/v1/overview", scope: "read", summary: "One refresh of the console: queues, a page of tasks, workers, schedules", operationId: "getOverview",
      doc: { query: listQuery, responses: { 200: overview } },
      async handle(ctx) {
        const { res } = ctx;
        const { filter, limit, cursor } = listRequest(deps, ctx);
        const queues = [...deps.registry.queues.values()];
        const [store, states, jobs] = await Promise.all([
          deps.store.overview(filter, limit, cursor, QUEUE_SAMPLE),
          Promise.all(queues.map((queue) => deps.queue.state(queue.name).catch(() => "UNKNOWN" as const))),
          deps.scheduler().list().catch(() => null),
        ]);
        const { page, workers } = store;
        const counts = queues.map((queue) => store.queues[queue.name]!);
        const byName = new Map((jobs ?? []).map((job) => [job.name, job]));
        const names = [...new Set([...declared().keys(), ...byName.keys()])].sort();
        sendJson(res, 200, {
          at: new Date().toISOString(),
          queues: queues.map((queue, i) => ({
            name: queue.name, state: states[i]!,
            counts: { ...counts[i]!.live, totals: counts[i]!.totals },
            finished_last_minute: counts[i]!.finishedLastMinute,
            latency: { mean_wait_seconds: counts[i]!.meanWaitSeconds, mean_run_seconds: counts[i]!.meanRunSeconds },
          })),
          tasks: page.tasks.map(presentTask),
          next_cursor: page.nextCursor,
          workers: workers.map((w) => ({ instance: w.instance, revision: w.revision, last_seen: iso(w.lastSeen), started_at: iso(w.startedAt), running: w.running })),
          schedules: jobs === null ? null : names.map((name) => {
            const job = byName.get(name);
            const definition = declared().get(name);
            const cron = job?.cron ?? definition!.cron;
            const state = job?.state ?? "NOT_APPLIED";
            return {
              name, origin: job?.origin ?? "code", cron, task: job?.task ?? definition!.task, state,
              next_run: state === "PAUSED" ? null : iso(nextRuns(cron, job?.timeZone ?? definition!.timeZone, 1)[0]?.getTime()),
              last_status: job?.lastStatus ? (job.lastStatus.code === 0 ? "OK" : `error ${job.lastStatus.code}: ${job.lastStatus.message}`) : null,
            };
          }),
        });
      },
    },
    {
      method: "GET", path: "/v1/tasks/{id}/detail", scope: "read", summary: "A task with its stored payload and result (sensitive fields masked)", operationId: "getTaskDetail",
      doc: { query: tenantQuery, responses: { 200: taskDetail } },
      async handle(ctx) {
        const task = await deps.store.detail(ctx.params.id!);
        if (!task || !sees(callerOf(ctx), ctx.query, task.tenant)) throw new ApiError(404, "not_found", `no task ${ctx.params.id} (unknown, or its result expired)`);
        sendJson(ctx.res, 200, { ...presentTask(task), error: task.error ?? null, payload: maskSealed(task.payload), result: maskSealed(task.result) });
      },
    },
  ];
}
