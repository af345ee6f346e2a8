// The one way out for a request whose URL a caller influenced (callback_url,
// media URLs, anything added later): the host is resolved and every address
// judged before connecting, the connection is pinned to the addresses judged (no
// second lookup a rebinding DNS could answer differently), and redirects are
// never followed here (a caller of `send` re-checks each hop or refuses them).
// Non-public addresses are reachable only through an allow-listed origin.
import http from "node:http";
import https from "node:https";
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { DependencyError } from "../../core/errors.ts";
import type { OutboundUrlPolicy, UrlVerdict } from "../../core/outbound-url-policy.ts";
import { classifyAddress, isRefusedHostName } from "./address-policy.ts";
import { isAllowedOrigin, parseAllowedOrigins, type AllowedOrigin } from "./allowed-origins.ts";

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

export interface OutboundRequest {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** Resolves a host name to every address it has. */
export type Resolve = (host: string) => Promise<ResolvedAddress[]>;
/** One request, connecting only to `pinned` when given (null: an allow-listed origin, resolved normally). */
export type Transport = (url: URL, pinned: ResolvedAddress[] | null, request: OutboundRequest) => Promise<HopResponse>;

export interface OutboundGuardOptions {
  /**
   * Origins ("scheme://host:port" or "host:port") reached although their addresses are
   * not public, and over http: as well. Default none (OUTBOUND_ALLOW_ORIGINS).
   */
  allowOrigins?: string | readonly string[];
  /** A lookup slower than this is a DependencyError ("dns"). Default 2,000 ms. */
  resolveTimeoutMs?: number;
  resolve?: Resolve;
  transport?: Transport;
}

/** The URL may not be requested; the message says why without echoing secrets. */
export class RefusedUrl extends Error {
  override readonly name = "RefusedUrl";
}

export class OutboundGuard implements OutboundUrlPolicy {
  readonly #allowed: AllowedOrigin[];
  readonly #resolveTimeoutMs: number;
  readonly #resolve: Resolve;
  readonly #transport: Transport;

  constructor(options: OutboundGuardOptions = {}) {
    this.#allowed = parseAllowedOrigins(options.allowOrigins ?? []);
    this.#resolveTimeoutMs = options.resolveTimeoutMs ?? 2_000;
    this.#resolve = options.resolve ?? resolveAll;
    this.#transport = options.transport ?? nodeTransport;
  }

  async check(url: string): Promise<UrlVerdict> {
    try {
      await this.vet(parseUrl(url));
      return { allowed: true };
    } catch (error) {
      if (error instanceof RefusedUrl) return { allowed: false, reason: error.message };
      throw error;
    }
  }

  /** One request to `url`, vetted and pinned; a redirect comes back as it is. Throws RefusedUrl. */
  async send(url: URL, request: OutboundRequest): Promise<HopResponse> {
    const pinned = await this.vet(url);
    return this.#transport(url, pinned, request);
  }

  /** Throws RefusedUrl, or returns the addresses to connect to (null: allow-listed). */
  async vet(url: URL): Promise<ResolvedAddress[] | null> {
    if (url.username || url.password) throw new RefusedUrl("URLs with credentials are refused");
    const allowListed = isAllowedOrigin(this.#allowed, url);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && allowListed)) {
      throw new RefusedUrl(`only https:// URLs are allowed (got ${url.protocol}//)`);
    }
    if (allowListed) return null;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const family = isIP(host);
    if (family) {
      const kind = classifyAddress(host);
      if (kind !== "public") throw new RefusedUrl(`${host} is a ${kind} address`);
      return [{ address: host, family: family as 4 | 6 }];
    }
    if (isRefusedHostName(host)) throw new RefusedUrl(`${host} names a local or metadata host`);
    const addresses = await this.#lookup(host);
    if (addresses.length === 0) throw new RefusedUrl(`${host} does not resolve`);
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind !== "public") throw new RefusedUrl(`${host} resolves to ${address}, a ${kind} address`);
    }
    return addresses;
  }

  async #lookup(host: string): Promise<ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DependencyError("dns", `looking up ${host} took longer than ${this.#resolveTimeoutMs} ms`)), this.#resolveTimeoutMs);
    });
    try {
      return await Promise.race([this.#resolve(host), deadline]);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "ENOTFOUND" || code === "ENODATA") throw new RefusedUrl(`${host} does not resolve`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

export function parseUrl(url: string): URL {
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

const nodeTransport: Transport = (url, pinned, request) =>
  new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const headers = request.body === undefined ? request.headers : { ...request.headers, "Content-Length": String(Buffer.byteLength(request.body)) };
    // No agent: a pooled socket could outlive the check it was opened under.
    const outgoing = client.request(url, { method: request.method, headers, signal: request.signal, agent: false, ...(pinned ? { lookup: pinnedLookup(pinned) } : {}) }, (response) => {
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
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
