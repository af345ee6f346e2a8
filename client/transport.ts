// One HTTP call to the API: JSON in and out, X-API-Key, errors as TaskPlatformError.
import { TaskPlatformError } from "./errors.ts";

export interface TransportOptions {
  /** The API's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  apiKey: string;
  /** fetch to use; default the global one. */
  fetch?: typeof fetch;
}

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type Call = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer<T>>;

export function transport(options: TransportOptions): Call {
  const base = options.url.replace(/\/+$/, "");
  const send = options.fetch ?? fetch;
  return async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    let response: Response;
    try {
      response = await send(`${base}${path}`, {
        method,
        headers: { "X-API-Key": options.apiKey, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new TaskPlatformError(0, "unreachable", `cannot reach ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new TaskPlatformError(response.status, "invalid_response", `${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (response.status >= 400) throw errorOf(response, parsed);
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
}

function errorOf(response: Response, body: unknown): TaskPlatformError {
  const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }).error;
  const retryAfter = Number(response.headers.get("retry-after"));
  const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  if (!error?.code) return new TaskPlatformError(response.status, "invalid_response", `the API answered ${response.status} without an error body`, undefined, seconds);
  return new TaskPlatformError(response.status, error.code as TaskPlatformError["code"], error.message ?? error.code, error.details, seconds);
}
