// The bench's own client for single calls to the api, on one keep-alive agent
// (the load runs use theirs, in load.ts).
import type { Stack } from "../emulators/stack.ts";
import { keepAliveAgent, send } from "./load.ts";
import type { QueueControl } from "./queue-control.ts";

export type BenchApi = ReturnType<typeof benchApi>;

export function benchApi(baseUrl: string, apiKey: string) {
  const agent = keepAliveAgent(8);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const answer = await send(agent, baseUrl, { method, path, headers: { "x-api-key": apiKey }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: answer.status, body: (answer.body ? JSON.parse(answer.body) : {}) as T };
  };
  return {
    call,
    async submit(type: string, payload: unknown, extra: Record<string, unknown> = {}): Promise<string> {
      const answer = await call<{ task_id?: string }>("POST", "/v1/tasks", { type, payload, ...extra });
      if (answer.status !== 202 || !answer.body.task_id) throw new Error(`submit of ${type} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body.task_id;
    },
    status: (id: string) => call<{ status: string; created_at: string | null; started_at: string | null; finished_at: string | null }>("GET", `/v1/tasks/${id}`),
    /** Cumulative outcomes of a queue (GET /v1/queues). */
    async totals(queue: string): Promise<Record<string, number>> {
      const answer = await call<{ queues: { name: string; counts: { totals: Record<string, number> } }[] }>("GET", "/v1/queues");
      return answer.body.queues.find((q) => q.name === queue)?.counts.totals ?? {};
    },
    close: () => agent.destroy(),
  };
}

/** What a section that needs the running stack is given. */
export interface BenchContext {
  stack: Stack;
  /** Keep-alive client of the api with the dev (admin) key. */
  api: BenchApi;
  /** Pause, resume, purge, drain checks and rates of the Cloud Tasks emulator's queues. */
  queues: QueueControl;
}
