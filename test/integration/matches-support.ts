// What the match integration suites share: a stack of their own (they read and
// fault the game API stand-in, which lives in the process that starts it), the
// test database, and waiting for many tasks at once.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { startStack, type Stack, type StackOptions } from "../../emulators/stack.ts";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

export type Api = ReturnType<typeof apiClient>;

export async function startMatchStack(options: StackOptions): Promise<{ stack: Stack; api: Api; db: pg.Pool }> {
  const stack = await startStack({
    logLevel: process.env.STACK_LOG_LEVEL ?? "warn",
    ...(process.env.STACK_LOG ? { log: (source: string, line: string) => process.stderr.write(`${source} ${line}\n`) } : {}),
    ...options,
  });
  return { stack, api: apiClient(stack.apiUrl, stack.apiKey), db: new pg.Pool({ connectionString: stack.databaseUrl, max: 2 }) };
}

export const newPuuid = () => `it-${randomUUID()}`;

export interface FinishedTask {
  task_id: string;
  status: string;
  attempts: number;
  error: { type: string; message: string } | null;
}

/** Polls every task, a round at a time, until each has reached `status`. */
export async function waitForAll(api: Api, ids: readonly string[], status: string, timeoutMs: number): Promise<FinishedTask[]> {
  const done = new Map<string, FinishedTask>();
  await eventually(async () => {
    for (const id of ids) {
      if (done.has(id)) continue;
      const { body } = await api.call<FinishedTask>("GET", `/v1/tasks/${id}`);
      if (body.status === "FAILURE" && status !== "FAILURE") throw new Error(`task ${id} failed: ${JSON.stringify(body.error)}`);
      if (body.status === status) done.set(id, body);
    }
    if (done.size < ids.length) throw new Error(`${done.size}/${ids.length} tasks are ${status}`);
  }, { timeoutMs, intervalMs: 200 });
  return ids.map((id) => done.get(id) as FinishedTask);
}

export async function resultOf<T>(api: Api, id: string): Promise<T> {
  const answer = await api.call<{ result: T }>("GET", `/v1/tasks/${id}/result`);
  if (answer.status !== 200) throw new Error(`result of ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.result;
}

/** Submits a task, waits for it to succeed, returns its result. */
export async function run<T>(api: Api, type: string, payload: unknown, timeoutMs = 20_000): Promise<{ taskId: string; result: T }> {
  const submitted = await api.submit(type, payload);
  if (submitted.status !== 202) throw new Error(`submit ${type}: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  await api.waitFor(submitted.body.task_id, "SUCCESS", timeoutMs);
  return { taskId: submitted.body.task_id, result: await resultOf<T>(api, submitted.body.task_id) };
}
