// A thin HTTP client for the tests: they talk to the platform as a user would.
import { eventually } from "./eventually.ts";

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export function apiClient(baseUrl: string, apiKey: string) {
  async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { "X-API-Key": apiKey, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
  }
  return {
    call,
    submit: (type: string, payload: unknown, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      call<{ task_id: string; status: string; poll_url: string; result_url: string }>("POST", "/v1/tasks", { type, payload, ...extra }, headers),
    status: (id: string) => call<Record<string, unknown> & { status: string; attempts: number; progress: number }>("GET", `/v1/tasks/${id}`),
    /** Polls until the task reaches `status`, recording every status seen on the way. */
    async waitFor(id: string, status: string, timeoutMs = 20_000) {
      const seen: string[] = [];
      const final = await eventually(async () => {
        const answer = await call<{ status: string; attempts: number; progress: number; error: unknown }>("GET", `/v1/tasks/${id}`);
        if (seen.at(-1) !== answer.body.status) seen.push(answer.body.status);
        if (answer.body.status !== status) throw new Error(`task ${id} is ${answer.body.status}, waiting for ${status}`);
        return answer.body;
      }, { timeoutMs, intervalMs: 25 });
      return { ...final, seen };
    },
  };
}
