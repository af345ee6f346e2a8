// GET /: a small dashboard (Flower's job) over the same API; it asks for a key in the page.
import { readFileSync } from "node:fs";
import type { Route } from "../router.ts";
import { dashboardHtml } from "../answers.ts";

let page: string | null = null;

export const dashboardRoute: Route = {
  method: "GET", path: "/", scope: null, summary: "Dashboard (queues, tasks, workers, schedules)", operationId: "getDashboard",
  doc: { responses: { 200: { mediaType: "text/html", schema: dashboardHtml } } },
  handle({ res }) {
    page ??= readFileSync(new URL("../dashboard.html", import.meta.url), "utf8");
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
    });
    res.end(page);
  },
};
