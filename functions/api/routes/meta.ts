// /v1/openapi.json and /v1/task-types: what can be submitted, with its schema.
import { sendJson } from "../../http/json.ts";
import { openApiDocument } from "../openapi.ts";
import type { Registry } from "../../core/registry.ts";
import type { Route } from "../router.ts";
import { openApiJson } from "../answers.ts";

export function metaRoutes(registry: Registry, allRoutes: () => Route[]): Route[] {
  let cached: unknown;
  return [
    {
      method: "GET", path: "/v1/openapi.json", scope: null, summary: "This API, as OpenAPI 3.1", operationId: "getOpenApi",
      doc: { responses: { 200: openApiJson } },
      handle({ res }) {
        cached ??= openApiDocument(registry, allRoutes());
        sendJson(res, 200, cached);
      },
    },
  ];
}
