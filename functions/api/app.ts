// The api function: auth, rate limit, routing, and the mapping of every error
// to its status: 4xx that names the problem, 503 when a dependency is down.
// Each request runs in its trace (what its Cloud Tasks carry on) and leaves one line.
import type { ServerResponse } from "node:http";
import { ApiError, sendError, type ApiRequest } from "../http/json.ts";
import { authenticate, requireScope } from "./auth.ts";
import { createRouter, type Route } from "./router.ts";
import { isDependencyError, SubmissionError } from "../core/errors.ts";
import { RateLimitedError } from "../core/rate-limit.ts";
import type { ApiDeps } from "./deps.ts";
import { SCHEDULER_CALLER, callerOf, type Caller } from "./tenancy.ts";
import { noteTask, runInScope, traceFromHeaders, type RequestScope } from "../core/trace-context.ts";

const SUBMISSION_STATUS = {
  unknown_type: [400, "unknown_type"],
  invalid_payload: [400, "validation_failed"],
  invalid_schedule: [400, "invalid_schedule"],
  payload_too_large: [413, "payload_too_large"],
  over_quota: [429, "over_quota"],
  idempotency_key_reused: [409, "idempotency_key_reused"],
  invalid_callback_url: [400, "validation_failed"],
} as const;

/** What the request line reports of the routing: the route's pattern (never the raw path) and the caller. */
interface Seen { route: string | null; caller: Caller | null }

export function createApiHandler(deps: ApiDeps, routes: Route[]) {
  const router = createRouter(routes);
  return async function api(req: ApiRequest, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const scope: RequestScope = { trace: traceFromHeaders((name) => firstHeader(req, name)) };
    const seen: Seen = { route: null, caller: null };
    await runInScope(scope, async () => {
      await handle(req, res, seen);
      const status = res.statusCode;
      const line = {
        method: req.method, route: seen.route ?? "(no route)", status, latencyMs: Math.round((performance.now() - started) * 10) / 10,
        ...(seen.caller ? { tenant: seen.caller.tenant } : {}),
        ...(scope.taskId ? { taskId: scope.taskId } : {}),
      };
      // A 5xx is a warning here: its cause was logged at error, with the stack.
      if (status >= 500) deps.log.warn(line, "request");
      else deps.log.info(line, "request");
    });
  };

  async function handle(req: ApiRequest, res: ServerResponse, seen: Seen): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      const { route, params } = router.match(req.method ?? "GET", url.pathname);
      seen.route = route.path;
      // A route about one task names it; a submit names its task through the scope (composition's submit).
      const named = route.path.startsWith("/v1/tasks/") ? params.id : params.task_id;
      if (named) noteTask(named);
      let caller: Caller | null = null;
      const bearer = req.headers.authorization;
      if (route.oidc === "scheduler" && !req.headers["x-api-key"] && bearer?.startsWith("Bearer ")) {
        const verifier = deps.schedulerVerifier();
        if (!verifier) throw new ApiError(401, "unauthorized", "OIDC tokens are not accepted here (SCHEDULER_SERVICE_ACCOUNT is not set)");
        await verifier.verify(bearer).catch((error: Error) => {
          deps.log.warn({ reason: error.message }, "refused a trigger with an invalid OIDC token");
          throw new ApiError(401, "unauthorized", "invalid OIDC token");
        });
        seen.caller = SCHEDULER_CALLER;
        await route.handle({ req, res, params, query: url.searchParams, caller: SCHEDULER_CALLER });
        return;
      }
      let rate;
      if (route.scope) {
        const header = req.headers["x-api-key"];
        const key = authenticate(deps.keys(), typeof header === "string" ? header : undefined);
        requireScope(key, route.scope);
        // A route that writes or reads Redis once counts the limit in that call; the others pay a request for it.
        if (key.rate && !route.countsRate) await deps.rateLimiter().charge(key.rate);
        else rate = key.rate;
        caller = callerOf(key);
        seen.caller = caller;
      }
      await route.handle({ req, res, params, query: url.searchParams, caller, ...(rate ? { rate } : {}) });
    } catch (error) {
      sendError(res, toApiError(error, deps));
    }
  }
}

function firstHeader(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toApiError(error: unknown, deps: Pick<ApiDeps, "log">): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RateLimitedError) {
    const retryAfter = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return new ApiError(429, "rate_limited", error.message, { retry_after_seconds: retryAfter }, { "Retry-After": String(retryAfter) });
  }
  if (error instanceof SubmissionError) {
    const [status, code] = SUBMISSION_STATUS[error.code];
    return new ApiError(status, code, error.message, error.details, retryAfterHeader(error.details));
  }
  if (isDependencyError(error)) {
    deps.log.warn({ dependency: error.dependency, reason: error.message }, "dependency unavailable");
    return new ApiError(503, "unavailable", `${error.dependency} is unavailable; nothing was changed, try again`, { dependency: error.dependency }, { "Retry-After": "2" });
  }
  deps.log.error({ err: error }, "unhandled error in the api");
  return new ApiError(500, "internal", "internal error");
}

function retryAfterHeader(details: Record<string, unknown> | undefined): Record<string, string> {
  const seconds = details?.retry_after_seconds;
  return typeof seconds === "number" ? { "Retry-After": String(Math.max(1, Math.ceil(seconds))) } : {};
}
