// The game API (Riot match-v5) over HTTP. The key travels in X-Riot-Token and
// is never logged or put in an error; each routing value has its own host
// (GAME_API_BASE_URL, a template with {routing}). Answers become the task
// runtime's control flow: 429 → RetryAfterError, 404 and other 4xx →
// NonRetryableError, 5xx, timeouts and network errors → retried with backoff.
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import type { GameApi, GameApiDocument } from "../../tasks/matches/ports.ts";
import type { LimitGuard } from "./limit-guard.ts";

export interface HttpGameApiOptions {
  /** e.g. "https://{routing}.api.riotgames.com"; locally "http://127.0.0.1:PORT/{routing}". */
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
  guard: LimitGuard;
}

/** Riot's names for the match-v5 methods: each has a rate limit of its own. */
type MatchMethod = "getMatchIdsByPUUID" | "getMatch" | "getTimeline";

const ROUTING = /^[a-z]+$/;

export class HttpGameApi implements GameApi {
  readonly #options: HttpGameApiOptions;

  constructor(options: HttpGameApiOptions) {
    if (!options.baseUrl.includes("{routing}")) throw new Error("GAME_API_BASE_URL must contain {routing}, e.g. https://{routing}.api.riotgames.com");
    this.#options = options;
  }

  async matchIdsByPuuid(routing: string, puuid: string, options: { count: number; start?: number }, signal?: AbortSignal): Promise<string[]> {
    const query = new URLSearchParams({ start: String(options.start ?? 0), count: String(options.count) });
    const { json } = await this.#get(routing, "getMatchIdsByPUUID", `/lol/match/v5/matches/by-puuid/${encodeURIComponent(puuid)}/ids?${query}`, signal);
    const ids: unknown = JSON.parse(json);
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw new Error("game API answered match ids that are not a list of strings");
    return ids;
  }

  match(routing: string, matchId: string, signal?: AbortSignal): Promise<GameApiDocument> {
    return this.#get(routing, "getMatch", `/lol/match/v5/matches/${encodeURIComponent(matchId)}`, signal);
  }

  timeline(routing: string, matchId: string, signal?: AbortSignal): Promise<GameApiDocument> {
    return this.#get(routing, "getTimeline", `/lol/match/v5/matches/${encodeURIComponent(matchId)}/timeline`, signal);
  }

  async #get(routing: string, method: MatchMethod, path: string, signal?: AbortSignal): Promise<GameApiDocument> {
    const { apiKey, baseUrl, timeoutMs, guard } = this.#options;
    if (!apiKey) throw new NonRetryableError("GAME_API_KEY is not configured");
    if (!ROUTING.test(routing)) throw new NonRetryableError(`"${routing}" is not a routing value`);
    const url = `${baseUrl.replaceAll("{routing}", routing).replace(/\/$/, "")}${path}`;
    const where = `${method} in ${routing}`;
    const ticket = await guard.acquire(routing, method, signal);
    let response: Response;
    let body: Buffer;
    try {
      response = await fetch(url, {
        headers: { "X-Riot-Token": apiKey, Accept: "application/json" },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])]),
        redirect: "error",
      });
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      await guard.release(ticket, null);
      if (signal?.aborted) throw signal.reason;
      const name = (error as Error).name;
      if (name === "TimeoutError") throw new Error(`game API ${where} timed out after ${timeoutMs} ms`);
      throw new Error(`game API ${where} unreachable: ${(error as Error).message}`);
    }
    await guard.release(ticket, { status: response.status, headers: response.headers });
    if (response.ok) return { json: body.toString("utf8"), bytes: body.length };

    const detail = upstreamMessage(body);
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get("retry-after"));
      const type = response.headers.get("x-rate-limit-type") ?? "unknown";
      if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryAfterError(`game API ${where}: 429 (${type} rate limit)`, retryAfter);
      throw new Error(`game API ${where}: 429 (${type} rate limit) without Retry-After`);
    }
    if (response.status === 404) throw new NonRetryableError(`game API ${where}: not found${detail}`);
    if (response.status >= 400 && response.status < 500 && response.status !== 408) {
      throw new NonRetryableError(`game API ${where}: ${response.status}${detail}`);
    }
    throw new Error(`game API ${where}: ${response.status}${detail}`);
  }
}

/** Riot's error body {"status": {"message", "status_code"}}, as " (message)". */
function upstreamMessage(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { status?: { message?: unknown } };
    const message = parsed.status?.message;
    return typeof message === "string" ? ` (${message.slice(0, 200)})` : "";
  } catch {
    return "";
  }
}
