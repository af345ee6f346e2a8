// The worker function: the Cloud Tasks HTTP target. Verifies the OIDC token,
// reads the X-CloudTasks-* headers and hands the delivery to the executor, in
// the trace the task's submitter started (its `traceparent` header).
import type { ServerResponse } from "node:http";
import { ApiError, jsonBody, sendError, sendJson, type ApiRequest } from "../http/json.ts";
import { isDependencyError } from "../core/errors.ts";
import type { Executor } from "../core/executor.ts";
import type { Logger } from "../core/ports.ts";
import { runInScope, traceFromHeaders } from "../core/trace-context.ts";

export interface TokenVerifier {
  verify(authorization: string | undefined): Promise<string>;
}

export function createWorkerHandler(deps: { executor: () => Executor; verifier: () => TokenVerifier | null; log: () => Logger }) {
  // Every line of this delivery, and every Cloud Task it makes (a retry, a child task), joins that trace.
  return function worker(req: ApiRequest, res: ServerResponse): Promise<void> {
    return runInScope({ trace: traceFromHeaders((name) => header(req, name)) }, () => deliver(req, res));
  };

  async function deliver(req: ApiRequest, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") {
      sendError(res, new ApiError(405, "method_not_allowed", "the worker accepts POST deliveries from Cloud Tasks"));
      return;
    }
    const verifier = deps.verifier();
    if (verifier) {
      try {
        await verifier.verify(req.headers.authorization);
      } catch (error) {
        deps.log().warn({ reason: (error as Error).message }, "refused a delivery without a valid OIDC token");
        sendError(res, new ApiError(401, "unauthorized", "a valid OIDC token from the tasks service account is required"));
        return;
      }
    }
    const cloudTask = header(req, "x-cloudtasks-taskname");
    if (!cloudTask) {
      sendError(res, new ApiError(400, "bad_request", "missing X-CloudTasks-TaskName: deliveries come from Cloud Tasks"));
      return;
    }
    try {
      const answer = await deps.executor().deliver(jsonBody(req), { cloudTask });
      sendJson(res, answer.status, answer.body, answer.retryAfterSeconds ? { "Retry-After": String(answer.retryAfterSeconds) } : {});
    } catch (error) {
      if (error instanceof ApiError) {
        // A body that is not JSON cannot become valid by retrying.
        deps.log().error({ cloudTask, reason: error.message }, "dropped an unreadable delivery");
        sendJson(res, 200, { dropped: error.code });
      } else if (isDependencyError(error)) {
        deps.log().warn({ cloudTask, dependency: error.dependency }, "dependency down; Cloud Tasks will redeliver");
        sendError(res, new ApiError(503, "unavailable", `${error.dependency} is unavailable`, undefined, { "Retry-After": "2" }));
      } else {
        deps.log().error({ err: error, cloudTask }, "the executor failed; Cloud Tasks will redeliver");
        sendError(res, new ApiError(500, "internal", "internal error"));
      }
    }
  }
}

function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
