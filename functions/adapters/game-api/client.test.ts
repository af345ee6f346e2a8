// The HTTP client against a stubbed fetch: URLs, the key header, and how each
// answer maps onto the task runtime's control flow.
import { afterEach, describe, expect, it, vi } from "vitest";
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import { HttpGameApi } from "./client.ts";
import { LimitGuard } from "./limit-guard.ts";

const KEY = "RGAPI-secret-key-0000";

function stubFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; headers: Headers }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, headers: new Headers(init.headers) });
    return answer(url, init);
  });
  return calls;
}

/** Like fetch on a server that never answers: settles only when the signal aborts. */
const hangUntilAborted = (_url: string, init: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    if (init.signal?.aborted) return reject(init.signal.reason);
    init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

function client(options: { apiKey?: string; timeoutMs?: number } = {}) {
  const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 0 });
  return new HttpGameApi({ baseUrl: "https://{routing}.api.example.test", apiKey: "apiKey" in options ? options.apiKey : KEY, timeoutMs: options.timeoutMs ?? 1_000, guard });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("HttpGameApi", () => {
  it("calls the routing value's host with the key in X-Riot-Token", async () => {
    const calls = stubFetch(() => json(200, ["NA1_1", "NA1_2"]));
    const ids = await client().matchIdsByPuuid("americas", "p/uu id", { count: 2 });
    expect(ids).toEqual(["NA1_1", "NA1_2"]);
    expect(calls[0]!.url).toBe("https://americas.api.example.test/lol/match/v5/matches/by-puuid/p%2Fuu%20id/ids?start=0&count=2");
    expect(calls[0]!.headers.get("x-riot-token")).toBe(KEY);
  });

  it("returns documents as received, with their size in bytes", async () => {
    const body = '{"metadata":{"matchId":"EUW1_9"},"info":{"name":"é"}}';
    const calls = stubFetch(() => new Response(body, { status: 200 }));
    const doc = await client().timeline("europe", "EUW1_9");
    expect(doc.json).toBe(body);
    expect(doc.bytes).toBe(Buffer.byteLength(body));
    expect(calls[0]!.url).toBe("https://europe.api.example.test/lol/match/v5/matches/EUW1_9/timeline");
  });

  it("maps 429 with Retry-After to RetryAfterError, and without it to a plain (retried) error", async () => {
    stubFetch(() => json(429, { status: { message: "Rate limit exceeded", status_code: 429 } }, { "Retry-After": "3", "X-Rate-Limit-Type": "application" }));
    const limited = await client().match("asia", "KR_1").catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RetryAfterError);
    expect((limited as RetryAfterError).retryAfterSeconds).toBe(3);
    stubFetch(() => json(429, {}, { "X-Rate-Limit-Type": "service" }));
    const service = await client().match("asia", "KR_1").catch((e: unknown) => e);
    expect(service).toBeInstanceOf(Error);
    expect(service).not.toBeInstanceOf(RetryAfterError);
    expect(service).not.toBeInstanceOf(NonRetryableError);
  });

  it("maps 404 and other 4xx to NonRetryableError, 5xx to a retried error", async () => {
    stubFetch(() => json(404, { status: { message: "Data not found - match file not found", status_code: 404 } }));
    const missing = await client().match("americas", "NA1_404").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NonRetryableError);
    expect((missing as Error).message).toContain("match file not found");
    stubFetch(() => json(403, { status: { message: "Forbidden", status_code: 403 } }));
    await expect(client().match("americas", "NA1_1")).rejects.toBeInstanceOf(NonRetryableError);
    stubFetch(() => json(503, { status: { message: "Service unavailable", status_code: 503 } }));
    const down = await client().match("americas", "NA1_1").catch((e: unknown) => e);
    expect(down).toBeInstanceOf(Error);
    expect(down).not.toBeInstanceOf(NonRetryableError);
  });

  it("retries timeouts and network errors, and never puts the key in an error", async () => {
    stubFetch(hangUntilAborted);
    const slow = await client({ timeoutMs: 20 }).match("americas", "NA1_1").catch((e: unknown) => e);
    expect((slow as Error).message).toMatch(/timed out after 20 ms/);
    expect(slow).not.toBeInstanceOf(NonRetryableError);
    stubFetch(() => { throw new TypeError("fetch failed", { cause: new Error("ECONNREFUSED") }); });
    const unreachable = await client().match("americas", "NA1_1").catch((e: unknown) => e);
    expect((unreachable as Error).message).toContain("unreachable");
    for (const error of [slow, unreachable]) expect((error as Error).message).not.toContain(KEY);
  });

  it("passes the task's cancellation through", async () => {
    stubFetch(hangUntilAborted);
    const controller = new AbortController();
    const pending = client().match("americas", "NA1_1", controller.signal);
    controller.abort(new Error("revoked"));
    await expect(pending).rejects.toThrow("revoked");
  });

  it("refuses to call without a key", async () => {
    const calls = stubFetch(() => json(200, []));
    await expect(client({ apiKey: undefined }).match("americas", "NA1_1")).rejects.toBeInstanceOf(NonRetryableError);
    expect(calls).toHaveLength(0);
  });
});
