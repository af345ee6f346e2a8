// The typed client against the whole stack: the fixture that tsc passes
// (test/client-typecheck/right.ts) runs and gets notify.system's output.
import { describe, expect, inject, it } from "vitest";
import { createClient, TaskFailedError, TaskPlatformError } from "cloud-tasks-platform/client";
import { run } from "../client-typecheck/right.ts";
import * as answers from "../../functions/api/answers.ts";
import * as consoleAnswers from "../../functions/api/routes/console-answers.ts";

const stack = inject("stack");

describe("the typed client", () => {
  it("submits notify.system and waits for its typed output", async () => {
    expect(await run(stack.apiUrl, stack.apiKey, `client-${Date.now()}`)).toEqual({ delivered: true, statusCode: 204 });
  });

  it("raises the API's error code, and TaskFailedError for a task that fails", async () => {
    const client = createClient({ url: stack.apiUrl, apiKey: stack.apiKey });
    const refused = await client.submitAny("notify.system", { title: "no message" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TaskPlatformError);
    expect(refused).toMatchObject({ status: 400, code: "validation_failed" });
    const { task_id } = await client.submitAny("testing.flaky", { failures: 0, non_retryable: true });
    const failed = await client.wait(task_id, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TaskFailedError);
    expect((failed as TaskFailedError).task).toMatchObject({ status: "FAILURE", error: { type: "NonRetryableError" } });
    const wrongKey = await createClient({ url: stack.apiUrl, apiKey: "nope" }).status(task_id).catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("gets answers shaped as the schemas OpenAPI publishes", async () => {
    const client = createClient({ url: stack.apiUrl, apiKey: stack.apiKey });
    const accepted = await client.submit("notify.system", { notification_type: "info", title: "Shapes", message: "checked" });
    answers.taskAccepted.parse(accepted);
    await client.wait(accepted.task_id, { timeoutMs: 30_000 });
    answers.taskView.parse(await client.status(accepted.task_id));
    const result = await client.result(accepted.task_id);
    expect(result.done).toBe(true);
    answers.taskList.parse(await client.list({ limit: 5 }));
    answers.queueList.parse({ queues: await client.queues.list() });
    answers.scheduleList.parse({ schedules: await client.schedules.list() });
    const group = await client.groups.submit({ kind: "group", tasks: [{ type: "testing.noop", payload: {} }] });
    answers.groupAccepted.parse(group);
    answers.groupView.parse(await client.groups.get(group.group_id, { results: true }));
    const detail = consoleAnswers.taskDetail.parse(await client.detail(accepted.task_id));
    expect(detail).toMatchObject({ task_id: accepted.task_id, status: "SUCCESS", payload: { title: "Shapes" } });
    const seen = consoleAnswers.overview.parse(await client.overview({ limit: 2, queue: "notifications" }));
    expect(seen.tasks.length).toBeLessThanOrEqual(2);
    expect(seen.tasks.every((task) => task.queue === "notifications")).toBe(true);
    expect(consoleAnswers.whoami.parse(await client.whoami())).toMatchObject({ scopes: expect.arrayContaining(["admin"]) });
  });
});
