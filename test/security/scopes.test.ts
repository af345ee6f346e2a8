// Scopes: every route that changes something refuses a key without the scope it needs.
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { KEYS } from "./global-setup.ts";

const { apiUrl } = inject("security");

describe("scopes", () => {
  const reader = apiClient(apiUrl, KEYS.aliceRead);
  const submitter = apiClient(apiUrl, KEYS.aliceSubmit);

  it("refuses a read-scope key on every route that submits or changes a task", async () => {
    const answers = await Promise.all([
      reader.call("POST", "/v1/tasks", { type: "testing.noop", payload: {} }),
      reader.call("POST", "/v1/groups", { kind: "group", tasks: [{ type: "testing.noop", payload: {} }] }),
      reader.call("POST", "/v1/tasks/00000000-0000-4000-8000-000000000000/cancel", {}),
      reader.call("POST", "/v1/tasks/00000000-0000-4000-8000-000000000000/retry", {}),
      reader.call("POST", "/v1/events/query.completed", {}),
    ]);
    for (const answer of answers) expect(answer.status).toBe(403);
  });

  it("refuses a submit-scope key on the admin routes", async () => {
    const schedule = { name: "scope-probe", cron: "*/5 * * * *", time_zone: "UTC", task: "testing.noop", payload: {} };
    const routes: [string, string, unknown][] = [
      ["POST", "/v1/queues/default/pause", {}],
      ["POST", "/v1/queues/default/resume", {}],
      ["POST", "/v1/schedules", schedule],
      ["PATCH", "/v1/schedules/scope-probe", { cron: "*/10 * * * *" }],
      ["DELETE", "/v1/schedules/scope-probe", undefined],
      ["POST", "/v1/schedules/cleanup_cache/pause", {}],
      ["POST", "/v1/schedules/cleanup_cache/resume", {}],
      ["POST", "/v1/schedules/cleanup_cache/trigger", {}],
    ];
    for (const [method, path, body] of routes) {
      const answer = await submitter.call(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
  });

  it("answers 400 unknown_type for an internal task type, as for a typo", async () => {
    const answer = await submitter.call<{ error: { code: string; details: { known_types: string[] } } }>("POST", "/v1/tasks", {
      type: "platform.callback", payload: { url: "https://example.com/hook", event: { type: "task.succeeded" } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("unknown_type");
    expect(answer.body.error.details.known_types).not.toContain("platform.callback");
  });
});
