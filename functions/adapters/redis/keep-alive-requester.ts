// The transport @upstash/redis calls through, on node:http(s) with keep-alive
// and a deadline per request. The library's own transport is fetch, which cost
// ~0.74 ms CPU per call against ~0.18 ms here, and waits as long as a stalled
// server does. It speaks what the library's HttpClient speaks (upstash/redis-js
// pkg/http.ts): POST <url>/<path…> with a JSON body, a bearer token,
// Upstash-Encoding: base64 and base64 results decoded the same way; the sync
// token of read-your-writes; an HTTP error's body turned into an UpstashError.
import http from "node:http";
import https from "node:https";
import { errors, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";
import { DependencyError } from "../../core/errors.ts";

export interface KeepAliveRequesterOptions {
  /** The REST URL, e.g. https://eu1-xyz.upstash.io (the local bridge in dev). */
  url: string;
  token: string;
  /** A request that has not answered by then fails as a dependency error. */
  deadlineMs: number;
  /**
   * Retries of a request that never reached the server (refused, or a reused keep-alive
   * socket the server had closed). A request that timed out is never retried: it may have run.
   */
  retries: number;
  /** Pause before a retry, ms. Default 50. */
  retryBackoffMs?: number;
  /** Most connections open at once per instance (idle ones are kept for reuse). Default 128. */
  maxSockets?: number;
}

/** Errors that mean the request was not taken by the server, so sending it again cannot run it twice. */
const NOT_SENT = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export class KeepAliveRequester implements Requester {
  readYourWrites = true;
  upstashSyncToken = "";
  readonly #base: URL;
  readonly #transport: typeof http | typeof https;
  readonly #agent: http.Agent;
  readonly #authorization: string;
  readonly #options: KeepAliveRequesterOptions;

  constructor(options: KeepAliveRequesterOptions) {
    this.#options = options;
    this.#base = new URL(options.url.replace(/\/$/, ""));
    this.#transport = this.#base.protocol === "https:" ? https : http;
    this.#agent = new this.#transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 128, scheduling: "lifo" });
    this.#authorization = `Bearer ${options.token}`;
  }

  async request<TResult = unknown>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
    const path = `${this.#base.pathname.replace(/\/$/, "")}/${(req.path ?? []).join("/")}`;
    const body = JSON.stringify(req.body);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      Authorization: this.#authorization,
      "Upstash-Encoding": "base64",
      "Content-Length": String(Buffer.byteLength(body)),
      ...req.headers,
    };
    if (this.readYourWrites && this.upstashSyncToken) headers["upstash-sync-token"] = this.upstashSyncToken;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#send<TResult>(path, headers, body, req.signal);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= this.#options.retries || !code || !NOT_SENT.has(code)) throw asRedisError(error);
        await new Promise((resolve) => setTimeout(resolve, this.#options.retryBackoffMs ?? 50));
      }
    }
  }

  #send<TResult>(path: string, headers: Record<string, string>, body: string, signal: AbortSignal | undefined): Promise<UpstashResponse<TResult>> {
    return new Promise((resolve, reject) => {
      const request = this.#transport.request(
        { protocol: this.#base.protocol, hostname: this.#base.hostname, port: this.#base.port, method: "POST", path, headers, agent: this.#agent, signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            clearTimeout(timer);
            try {
              resolve(this.#answer<TResult>(response, Buffer.concat(chunks).toString("utf8"), body));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new DependencyError("redis", `no answer within ${this.#options.deadlineMs} ms`));
      }, this.#options.deadlineMs);
      request.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  }

  #answer<TResult>(response: http.IncomingMessage, text: string, sent: string): UpstashResponse<TResult> {
    const status = response.statusCode ?? 0;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      if (status >= 500) throw new DependencyError("redis", `HTTP ${status} from the REST endpoint`);
      throw new errors.UpstashJSONParseError(text, { cause: error });
    }
    // A gateway or server failure is the dependency being down; a 4xx is a bad request (the library's error).
    if (status >= 500) throw new DependencyError("redis", `HTTP ${status}: ${String((parsed as { error?: string }).error).slice(0, 200)}`);
    if (status < 200 || status >= 300) {
      // The library quotes the command after its reason; run-script.ts keeps only the reason.
      throw new errors.UpstashError(`${(parsed as { error?: string }).error}, command was: ${sent}`);
    }
    if (this.readYourWrites) {
      const token = response.headers["upstash-sync-token"];
      this.upstashSyncToken = typeof token === "string" ? token : "";
    }
    if (Array.isArray(parsed)) {
      return parsed.map(({ result, error }: UpstashResponse<unknown>) => ({ result: decode(result), error })) as unknown as UpstashResponse<TResult>;
    }
    const single = parsed as UpstashResponse<unknown>;
    return { result: decode(single.result) as TResult, error: single.error } as UpstashResponse<TResult>;
  }
}

function asRedisError(error: unknown): Error {
  if (error instanceof DependencyError || error instanceof errors.UpstashError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DependencyError("redis", message.slice(0, 300));
}

/** The library's base64 decoding of results (pkg/http.ts decode): "OK" and numbers as they are. */
function decode(raw: unknown): unknown {
  switch (typeof raw) {
    case "undefined":
    case "number":
      return raw;
    case "string":
      return raw === "OK" ? "OK" : base64Decode(raw);
    case "object":
      if (!Array.isArray(raw)) return null;
      return raw.map((v: unknown) => (typeof v === "string" ? base64Decode(v) : Array.isArray(v) ? v.map((element: unknown) => decode(element)) : v));
    default:
      return undefined;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Like the library: text that is not base64 comes back as it is. */
function base64Decode(value: string): string {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return value;
  return Buffer.from(value, "base64").toString("utf8");
}
