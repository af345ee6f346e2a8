// Every bad input gets a clear 4xx JSON error that names the problem.
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { LIMITED_KEY, READ_ONLY_KEY } from "./global-setup.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe("API errors", () => {
  it("401 without a key and with a wrong one", async () => {
    const none = await apiClient(stack.apiUrl, "").call<ErrorBody>("GET", "/v1/queues");
    expect(none.status).toBe(401);
    expect(none.body.error.message).toContain("X-API-Key");
    const wrong = await apiClient(stack.apiUrl, "not-a-key").call<ErrorBody>("GET", "/v1/queues");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("unauthorized");
  });

  it("403 when the key lacks the scope", async () => {
    const reader = apiClient(stack.apiUrl, READ_ONLY_KEY);
    expect((await reader.call("GET", "/v1/queues")).status).toBe(200);
    const refused = await reader.submit("testing.noop", {});
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as ErrorBody).error.message).toContain('"submit"');
  });

  it("404 for an unknown task and an unknown route, 405 for a wrong method", async () => {
    const missing = await api.call<ErrorBody>("GET", "/v1/tasks/00000000-0000-0000-0000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    expect((await api.call<ErrorBody>("GET", "/v1/nothing")).status).toBe(404);
    expect((await api.call<ErrorBody>("DELETE", "/v1/tasks")).status).toBe(405);
  });

  it("400 for an unknown type, listing the known ones", async () => {
    const answer = await api.submit("no.such", {});
    const body = answer.body as unknown as ErrorBody;
    expect(answer.status).toBe(400);
    expect(body.error.code).toBe("unknown_type");
    expect(body.error.details?.known_types).toContain("notify.system");
  });

  it("400 naming the field when the payload breaks the schema", async () => {
    const answer = await api.submit("notify.system", { notification_type: "info", title: "", message: 5 });
    const body = answer.body as unknown as ErrorBody;
    expect(answer.status).toBe(400);
    expect(body.error.code).toBe("validation_failed");
    const paths = (body.error.details?.fields as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["payload.title", "payload.message"]));
  });

  it("400 for unknown top-level fields and malformed JSON", async () => {
    const extra = await api.call<ErrorBody>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, colour: "red" });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain("colour");
    const malformed = await api.call<ErrorBody>("POST", "/v1/tasks", '{"type": "testing.noop",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("malformed_json");
  });

  it("413 when the payload is over the limit", async () => {
    const answer = await api.submit("testing.noop", { blob: "x".repeat(1_100_000) });
    expect(answer.status).toBe(413);
    expect((answer.body as unknown as ErrorBody).error.code).toBe("payload_too_large");
  });

  it("400 for an eta in the past or more than 30 days ahead, and for a negative countdown", async () => {
    const past = await api.submit("testing.noop", {}, { eta: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect((past.body as unknown as ErrorBody).error.message).toContain("past");
    const far = await api.submit("testing.noop", {}, { eta: new Date(Date.now() + 31 * 86400_000).toISOString() });
    expect(far.status).toBe(400);
    expect((far.body as unknown as ErrorBody).error.message).toContain("30 days");
    const negative = await api.submit("testing.noop", {}, { countdown: -5 });
    expect(negative.status).toBe(400);
    expect((negative.body as unknown as ErrorBody).error.details?.fields).toEqual([expect.objectContaining({ path: "countdown" })]);
  });

  it("429 with Retry-After once a key's rate limit is spent", async () => {
    const limited = apiClient(stack.apiUrl, LIMITED_KEY);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await limited.submit("testing.noop", {}));
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([202, 202, 202]);
    expect(answers[3]!.status).toBe(429);
    expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("serves health and OpenAPI without a key", async () => {
    const health = await fetch(`${stack.apiUrl}/healthz`);
    expect(health.status).toBe(200);
    const doc = (await (await fetch(`${stack.apiUrl}/v1/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toContain("/v1/tasks/{id}/cancel");
    expect(Object.keys(doc.components.schemas)).toContain("Input_notify.query_result");
  });
});
