// OpenAPI 3.1, rendered from the routes' own declarations (route.doc): the zod
// schemas their handlers parse with, the answers they give, the errors their
// shape implies. `npx redocly lint` passes it with the recommended rules (a test does).
import type { z } from "zod";
import type { Registry } from "../core/registry.ts";
import type { Route } from "./router.ts";
import { errorEnvelope, TASK_OUTPUT } from "./answers.ts";
import { answerSchema, requestSchema, taskSchemaName, taskSchemas, type JsonSchema } from "./openapi-schemas.ts";
import { submitBody } from "./routes/tasks.ts";

/** Every error status the API answers, and when. */
const ERRORS = {
  400: "Bad request: validation_failed (details.fields names each field), malformed_json, unknown_type, invalid_schedule",
  401: "unauthorized: the X-API-Key header is missing or unknown",
  403: "forbidden: the key lacks the scope this operation needs",
  404: "not_found: no such record (or another tenant's), or its result expired",
  409: "conflict: the record is not in a state this operation applies to (details.status says which)",
  413: "payload_too_large: the body or a payload is over the limit",
  415: "bad_request: this content type is not accepted here",
  429: "rate_limited or over_quota: wait as long as Retry-After says",
  503: "unavailable: a dependency is down or stalled; nothing was changed, try again after Retry-After",
} as const;
type ErrorStatus = keyof typeof ERRORS;

const TAGS = [
  { name: "tasks", description: "Submit tasks, follow them, cancel and retry them" },
  { name: "groups", description: "Groups, chains and chords submitted as one tree" },
  { name: "queues", description: "Queues and the workers that drain them" },
  { name: "schedules", description: "Periodic jobs kept in Cloud Scheduler" },
  { name: "events", description: "Domain events published to Pub/Sub" },
  { name: "tts", description: "The text-to-speech bot's endpoints" },
  { name: "sync", description: "Vector sync into Qdrant, and search" },
  { name: "uploads", description: "Images for media tasks" },
  { name: "meta", description: "Health, this document, the console and what it reads" },
] as const;

function tagOf(path: string): string {
  const segment = path.split("/").filter(Boolean).find((s) => s !== "v1") ?? "";
  const byPath: Record<string, string> = { workers: "queues", search: "sync", document: "sync", healthz: "meta", "openapi.json": "meta", "": "meta", console: "meta", whoami: "meta", overview: "meta" };
  return byPath[segment] ?? segment;
}

/** The error statuses a route can answer: those its shape implies, and those it declares. */
function errorStatuses(route: Route): ErrorStatus[] {
  const statuses = new Set<number>(route.doc.errors ?? []);
  // functions-framework parses every body before routing: a malformed or oversized one is refused on any route.
  statuses.add(400);
  if (route.doc.body || route.doc.rawBodies) statuses.add(413);
  if (route.scope) [401, 403, 429, 503].forEach((s) => statuses.add(s));
  if (route.path.includes("{")) statuses.add(404);
  return [...statuses].filter((s): s is ErrorStatus => s in ERRORS).sort();
}

function parameters(route: Route): unknown[] {
  const params = route.doc.params ? (requestSchema(route.doc.params) as { properties?: Record<string, JsonSchema> }).properties ?? {} : {};
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: "path", required: true, schema: params[m[1]!] ?? { type: "string" } }));
  const query = route.doc.query ? queryParameters(route.doc.query) : [];
  const headers = (route.doc.headers ?? []).map((h) => ({ name: h.name, in: "header", required: false, description: h.description, schema: { type: "string" } }));
  return [...path, ...query, ...headers];
}

function queryParameters(schema: z.ZodObject): unknown[] {
  const json = requestSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: "query", required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

function requestBody(route: Route): unknown {
  const { body, rawBodies } = route.doc;
  if (!body && !rawBodies) return undefined;
  const isSubmit = body === submitBody;
  const content: Record<string, unknown> = {};
  if (body) content["application/json"] = { schema: isSubmit ? { $ref: "#/components/schemas/SubmitTask" } : requestSchema(body) };
  for (const mediaType of rawBodies ?? []) content[mediaType] = { schema: { type: "string", contentMediaType: mediaType } };
  const required = route.doc.bodyRequired ?? (body ? !body.safeParse(undefined).success : true);
  return { required, content };
}

/** A field marked TASK_OUTPUT becomes any of the callable task types' outputs. */
function withTaskOutputs(schema: unknown, outputs: JsonSchema): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withTaskOutputs(s, outputs));
  if (!schema || typeof schema !== "object") return schema;
  const { [TASK_OUTPUT]: marked, ...rest } = schema as JsonSchema;
  if (marked) return { ...rest, ...outputs };
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withTaskOutputs(v, outputs)]));
}

function responses(route: Route, outputs: JsonSchema): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(route.doc.responses)) {
    if (!answer) continue;
    const [mediaType, schema] = "mediaType" in answer ? [answer.mediaType, answer.schema] : ["application/json", answer];
    answers[status] = { description: schema.description ?? route.summary, content: { [mediaType]: { schema: withTaskOutputs(answerSchema(schema), outputs) } } };
  }
  for (const status of errorStatuses(route)) answers[status] = { $ref: `#/components/responses/Error${status}` };
  return answers;
}

function operation(route: Route, outputs: JsonSchema): Record<string, unknown> {
  const security = route.scope ? [{ apiKey: [] }, ...(route.oidc ? [{ schedulerOidc: [] }] : [])] : [];
  const body = requestBody(route);
  const params = parameters(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.scope ? `Needs an API key with the \`${route.scope}\` scope${route.oidc ? ", or Cloud Scheduler's OIDC token" : ""}.` : "Public: no key needed.",
    tags: [tagOf(route.path)],
    security,
    ...(route.scope ? { "x-scope": route.scope } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route, outputs),
  };
}

function errorResponses(): Record<string, unknown> {
  const retryAfter = { "Retry-After": { description: "seconds to wait before trying again", schema: { type: "integer" } } };
  return Object.fromEntries(
    Object.entries(ERRORS).map(([status, description]) => [
      `Error${status}`,
      {
        description,
        ...(status === "429" || status === "503" ? { headers: retryAfter } : {}),
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    ]),
  );
}

export interface OpenApiOptions {
  /** Where the API is served; default "/", the deployment that serves this document. */
  serverUrl?: string;
}

export function openApiDocument(registry: Registry, routes: Route[], options: OpenApiOptions = {}) {
  const outputs = { anyOf: registry.callerTaskTypes().map((type) => ({ $ref: `#/components/schemas/${taskSchemaName("Output", type)}` })) };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, outputs);
  }
  const used = new Set<number>(routes.flatMap(errorStatuses));
  return {
    openapi: "3.1.0",
    info: {
      title: "Serverless task platform",
      version: "1",
      description: "Background tasks on Cloud Tasks, Pub/Sub, Cloud Scheduler and Upstash Redis. JSON in snake_case; errors are {error: {code, message, details?}}.",
    },
    servers: [{ url: options.serverUrl || "/", description: "this deployment" }],
    security: [{ apiKey: [] }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "Scopes: read < submit < admin" },
        schedulerOidc: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Cloud Scheduler's OIDC token (schedule triggers only)" },
      },
      schemas: { Error: answerSchema(errorEnvelope), ...taskSchemas(registry) },
      responses: Object.fromEntries(Object.entries(errorResponses()).filter(([name]) => used.has(Number(name.slice(5))))),
    },
  };
}
