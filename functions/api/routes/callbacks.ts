// GET /v1/callbacks/secret: the caller's tenant reads the secret its callbacks
// are signed with, to verify them (Standard Webhooks, whsec_…). Each tenant's
// is its own, derived from CALLBACK_SIGNING_KEY: no tenant can verify, or pass
// for, another's callbacks.
import { sendJson } from "../../http/json.ts";
import { callerOf } from "./tasks.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { callbackSecret } from "../answers.ts";

export function callbackRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: "GET", path: "/v1/callbacks/secret", scope: "submit", summary: "The secret that signs this tenant's callbacks (Standard Webhooks)", operationId: "getCallbackSecret",
      doc: { responses: { 200: callbackSecret } },
      async handle(ctx) {
        const { tenant } = callerOf(ctx);
        sendJson(ctx.res, 200, { tenant, secret: deps.callbackSecret(tenant), scheme: "standard-webhooks", headers: ["webhook-id", "webhook-timestamp", "webhook-signature"] });
      },
    },
  ];
}
