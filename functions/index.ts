// Entry points that functions-framework loads: api (HTTP), worker (the Cloud
// Tasks target), events (Pub/Sub, as CloudEvents). This module stays tiny: the
// wired platform (functions/entries.ts) loads in the background once the server
// is up (or on the first request that needs it), so a cold instance answers
// /healthz at once and its first submit as soon as the import allows.
import { cloudEvent, http } from "@google-cloud/functions-framework";
import { installJsonFinalHandler, serveDirectly } from "./http/framework.ts";
import { bodyLimitsFor, servedTarget } from "./http/body-limits.ts";
import { sendJson, type ApiRequest } from "./http/json.ts";
import type * as EntriesModule from "./entries.ts";
import type { ServerResponse } from "node:http";

installJsonFinalHandler(bodyLimitsFor(servedTarget()));

type Entries = typeof EntriesModule;
let entries: Promise<Entries> | null = null;
const load = (): Promise<Entries> => (entries ??= import("./entries.ts"));
// Late enough that functions-framework is listening; the import then fills idle time.
setTimeout(() => void load().catch(() => undefined), 200).unref();

const api = async (req: ApiRequest, res: ServerResponse): Promise<void> => {
  if (req.method === "GET" && (req.url === "/healthz" || req.url?.startsWith("/healthz?"))) {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  return (await load()).apiHandler(req, res);
};
const worker = async (req: ApiRequest, res: ServerResponse): Promise<void> => (await load()).workerHandler(req, res);
http("api", api);
http("worker", worker);
// Both answer every request themselves: no express chain, and no per-request domain, whose async hooks would
// make every promise of the process ~15 times dearer from the first request on (http/framework.ts).
const direct = ({ api, worker } as Record<string, typeof api | undefined>)[servedTarget()];
if (direct) serveDirectly(direct);

cloudEvent("events", async (event: { data?: unknown; source?: string }) => (await load()).eventsHandler(event));
