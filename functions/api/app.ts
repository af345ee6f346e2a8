// The api function: auth, rate limit, routing, and the mapping of every error
// to its status: 4xx that names the problem, 503 when a dependency is down.
import type { ServerResponse } from "node:http";
import { ApiError, sendError, type ApiRequest } from "./http.ts";
import { authenticate, requireScope } from "./auth.ts";
import { createRouter, type Route } from "./router.ts";
import { isDependencyError } from "../core/dependency-error.ts";
import { SubmissionError } from "../core/submission-error.ts";
import type { ApiDeps } from "./deps.ts";
import { SCHEDULER_CALLER, callerOf, type Caller } from "./tenancy.ts";

const SUBMISSION_STATUS = {
  unknown_type: [400, "unknown_type"],
  invalid_payload: [400, "validation_failed"],
  invalid_schedule: [400, "invalid_schedule"],
  payload_too_large: [413, "payload_too_large"],
  over_quota: [429, "over_quota"],
  idempotency_key_reused: [409, "idempotency_key_reused"],
  invalid_callback_url: [400, "validation_failed"],
} as const;

export function createApiHandler(deps: ApiDeps, routes: Route[]) {
  const router = createRouter(routes);
  return async function api(req: ApiRequest, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      const { route, params } = router.match(req.method ?? "GET", url.pathname);
      let caller: Caller | null = null;
      const bearer = req.headers.authorization;
      if (route.oidc === "scheduler" && !req.headers["x-api-key"] && bearer?.startsWith("Bearer ")) {
        const verifier = deps.schedulerVerifier();
        if (!verifier) throw new ApiError(401, "unauthorized", "OIDC tokens are not accepted here (SCHEDULER_SERVICE_ACCOUNT is not set)");
        await verifier.verify(bearer).catch((error: Error) => {
          deps.log.warn({ reason: error.message }, "refused a trigger with an invalid OIDC token");
          throw new ApiError(401, "unauthorized", "invalid OIDC token");
        });
        await route.handle({ req, res, params, query: url.searchParams, caller: SCHEDULER_CALLER });
        return;
      }
      if (route.scope) {
        const header = req.headers["x-api-key"];
        const key = authenticate(deps.keys(), typeof header === "string" ? header : undefined);
        requireScope(key, route.scope);
        await deps.rateLimiter.check(key);
        caller = callerOf(key);
      }
      await route.handle({ req, res, params, query: url.searchParams, caller });
    } catch (error) {
      sendError(res, toApiError(error, deps));
    }
  };
}

export function toApiError(error: unknown, deps: Pick<ApiDeps, "log">): ApiError {
  if (error instanceof ApiError) return error;
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
