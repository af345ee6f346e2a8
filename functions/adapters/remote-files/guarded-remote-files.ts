// RemoteFiles with an SSRF guard: every hop's host is resolved and each address
// judged before connecting, the connection is pinned to the addresses judged (no
// second lookup a rebinding DNS could answer differently), redirects are followed
// by hand and re-checked, and the body is size-capped while it streams.
import http from "node:http";
import https from "node:https";
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { NonRetryableError } from "../../core/non-retryable-error.ts";
import { RetryAfterError } from "../../core/retry-after-error.ts";
import type { Download, DownloadOptions, RemoteFiles, UrlVerdict } from "../../core/remote-files.ts";
import { classifyAddress, isRefusedHostName } from "./address-policy.ts";
import { retryAfterSeconds } from "./retry-after.ts";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface HopResponse {
  status: number;
  header(name: string): string | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Drops the rest of the body. */
  discard(): void;
}

/** Resolves a host name to every address it has. */
export type Resolve = (host: string) => Promise<ResolvedAddress[]>;
/** One GET, connecting only to `pinned` when given (null: an allow-listed host, resolved normally). */
export type Transport = (url: URL, pinned: ResolvedAddress[] | null, signal: AbortSignal, headers: Record<string, string>) => Promise<HopResponse>;

export interface GuardedRemoteFilesOptions {
  /**
   * Hosts ("name" or "name:port") fetched without the address check, and over
   * http: as well: for local development only (e.g. "127.0.0.1"). Default none.
   */
  allowHosts?: readonly string[];
  /** Redirects followed at most. Default 3. */
  maxRedirects?: number;
  /** Whole download, all hops. Default 20,000 ms. */
  timeoutMs?: number;
  resolve?: Resolve;
  transport?: Transport;
}

/** The URL may not be fetched; the message says why without echoing secrets. */
class RefusedUrl extends Error {
  override readonly name = "RefusedUrl";
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class GuardedRemoteFiles implements RemoteFiles {
  readonly #allowHosts: Set<string>;
  readonly #maxRedirects: number;
  readonly #timeoutMs: number;
  readonly #resolve: Resolve;
  readonly #transport: Transport;

  constructor(options: GuardedRemoteFilesOptions = {}) {
    this.#allowHosts = new Set((options.allowHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean));
    this.#maxRedirects = options.maxRedirects ?? 3;
    this.#timeoutMs = options.timeoutMs ?? 20_000;
    this.#resolve = options.resolve ?? resolveAll;
    this.#transport = options.transport ?? nodeTransport;
  }

  async check(url: string): Promise<UrlVerdict> {
    try {
      await this.#vet(parseUrl(url));
      return { allowed: true };
    } catch (error) {
      if (error instanceof RefusedUrl) return { allowed: false, reason: error.message };
      throw error;
    }
  }

  async download(url: string, options: DownloadOptions): Promise<Download> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const accept = options.accept.map((t) => t.toLowerCase());
    let current: URL;
    try {
      current = parseUrl(url);
    } catch (error) {
      throw new NonRetryableError((error as Error).message);
    }
    const aborted = (error: unknown): unknown => {
      if (options.signal?.aborted) return options.signal.reason;
      if (timeout.aborted) return new Error(`fetching ${display(current)} timed out after ${this.#timeoutMs} ms`);
      return error;
    };
    for (let hop = 0; ; hop += 1) {
      let pinned: ResolvedAddress[] | null;
      try {
        pinned = await this.#vet(current);
      } catch (error) {
        if (error instanceof RefusedUrl) throw new NonRetryableError(`refused to fetch ${display(current)}: ${error.message}`);
        throw error;
      }
      let response: HopResponse;
      try {
        response = await this.#transport(current, pinned, signal, { Accept: accept.join(", "), "User-Agent": "cloud-tasks-platform" });
      } catch (error) {
        throw aborted(error);
      }
      const location = response.header("location");
      if (REDIRECTS.has(response.status) && location) {
        response.discard();
        if (hop >= this.#maxRedirects) throw new NonRetryableError(`${display(current)}: more than ${this.#maxRedirects} redirects`);
        try {
          current = new URL(location, current);
        } catch {
          throw new NonRetryableError(`${display(current)} redirected to an invalid URL`);
        }
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        response.discard();
        if (response.status === 429) {
          throw new RetryAfterError(`${display(current)} answered 429`, retryAfterSeconds(response.header("retry-after"), 5));
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408) {
          throw new NonRetryableError(`${display(current)} answered ${response.status}`);
        }
        throw new Error(`${display(current)} answered ${response.status}`);
      }
      const contentType = (response.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!accept.includes(contentType)) {
        response.discard();
        throw new NonRetryableError(`${display(current)} is ${contentType || "of no content type"}; expected ${accept.join(", ")}`);
      }
      const declared = Number(response.header("content-length"));
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.discard();
        throw new NonRetryableError(`${display(current)} is ${declared} bytes; the limit is ${options.maxBytes}`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of response.body) {
          total += chunk.length;
          if (total > options.maxBytes) {
            response.discard();
            throw new NonRetryableError(`${display(current)} is larger than the limit of ${options.maxBytes} bytes`);
          }
          chunks.push(Buffer.from(chunk));
        }
      } catch (error) {
        if (error instanceof NonRetryableError) throw error;
        throw aborted(error);
      }
      return { data: Buffer.concat(chunks), contentType, finalUrl: current.toString() };
    }
  }

  /** Throws RefusedUrl, or returns the addresses to connect to (null: allow-listed). */
  async #vet(url: URL): Promise<ResolvedAddress[] | null> {
    const allowListed = this.#allowHosts.has(url.hostname.toLowerCase()) || this.#allowHosts.has(url.host.toLowerCase());
    if (url.protocol !== "https:" && !(url.protocol === "http:" && allowListed)) {
      throw new RefusedUrl(`only https:// URLs are fetched (got ${url.protocol}//)`);
    }
    if (url.username || url.password) throw new RefusedUrl("URLs with credentials are not fetched");
    if (allowListed) return null;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const family = isIP(host);
    if (family) {
      const kind = classifyAddress(host);
      if (kind !== "public") throw new RefusedUrl(`${host} is a ${kind} address`);
      return [{ address: host, family: family as 4 | 6 }];
    }
    if (isRefusedHostName(host)) throw new RefusedUrl(`${host} names a local or metadata host`);
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.#resolve(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "ENOTFOUND" || code === "ENODATA") throw new RefusedUrl(`${host} does not resolve`);
      throw error;
    }
    if (addresses.length === 0) throw new RefusedUrl(`${host} does not resolve`);
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind !== "public") throw new RefusedUrl(`${host} resolves to ${address}, a ${kind} address`);
    }
    return addresses;
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new RefusedUrl("not a valid URL");
  }
}

/** A URL as it may appear in errors and logs: no credentials, no query (signed URLs carry tokens there). */
export function display(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

async function resolveAll(host: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** Answers the socket's lookup with the addresses already judged, so nothing is resolved twice. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
}

const nodeTransport: Transport = (url, pinned, signal, headers) =>
  new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    // No agent: a pooled socket could outlive the check it was opened under.
    const request = client.request(url, { method: "GET", headers, signal, agent: false, ...(pinned ? { lookup: pinnedLookup(pinned) } : {}) }, (response) => {
      resolve({
        status: response.statusCode ?? 0,
        header: (name) => {
          const value = response.headers[name.toLowerCase()];
          return Array.isArray(value) ? value[0] : value;
        },
        body: response,
        discard: () => response.destroy(),
      });
    });
    request.on("error", reject);
    request.end();
  });
