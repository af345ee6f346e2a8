// The fault run talks to the platform as a user would: over HTTP with an API key.
export interface Answer<T> {
  status: number;
  body: T;
}

export function platformClient(baseUrl: string, apiKey: string) {
  return async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<Answer<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { "X-API-Key": apiKey, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = {};
    try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = { raw: text }; }
    return { status: response.status, body: parsed as T };
  };
}
export type PlatformCall = ReturnType<typeof platformClient>;
