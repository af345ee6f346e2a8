// 3c. What an open console costs: Upstash requests and commands of one refresh (the
// console polls GET /v1/overview every few seconds while its tab is visible), counted
// at the Upstash bridge, fewest of a few tries (a worker's heartbeat may land in one).
import type { Stack } from "../emulators/stack.ts";
import type { BenchApi } from "./api.ts";
import { count, type SectionResult } from "./report.ts";

const TRIES = 5;
/** The console's refresh period while the tab is visible (functions/api/console/app.js, EVERY_MS). */
const REFRESH_SECONDS = 3;

export async function benchDashboardRefresh(stack: Stack, api: BenchApi): Promise<SectionResult> {
  let best = { requests: Number.POSITIVE_INFINITY, commands: 0 };
  for (let i = 0; i < TRIES; i++) {
    await stack.bridge.resetStats();
    const answer = await api.call("GET", "/v1/overview");
    if (answer.status !== 200) throw new Error(`GET /v1/overview answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const stats = stack.bridge.stats();
    if (stats.requests < best.requests) best = { requests: stats.requests, commands: stats.commands };
  }
  const perDay = best.requests * (86_400 / REFRESH_SECONDS);
  const section = "3c. console";
  return {
    values: { upstash_requests_per_dashboard_refresh: best.requests },
    figures: [
      { section, figure: "Upstash requests per console refresh (GET /v1/overview)", value: count(best.requests), target: "≤ 3", met: best.requests <= 3 },
      { section, figure: "commands sent per refresh", value: count(best.commands) },
      { section, figure: `an open tab, one refresh every ${REFRESH_SECONDS} s`, value: `${count(perDay)} requests a day (none while hidden)` },
    ],
    notes: [`Console refresh: fewest of ${TRIES} GET /v1/overview calls, counted at the Upstash bridge.`],
  };
}
