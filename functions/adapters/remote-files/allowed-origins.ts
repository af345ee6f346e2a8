// The operator's exceptions to the outbound guard: origins (scheme://host:port or
// host:port) whose non-public addresses may be reached. An origin, never a host
// alone, so that allowing one local stand-in never opens every port of loopback.

export interface AllowedOrigin {
  /** "http:" or "https:"; absent for a host:port entry (either scheme). */
  scheme?: string;
  /** As URL.hostname spells it (lower case, IPv4 normalised, IPv6 in brackets). */
  hostname: string;
  port: string;
}

const DEFAULT_PORT: Record<string, string> = { "http:": "80", "https:": "443" };

/** Parses a comma-separated list; throws with the entry that is not an origin. */
export function parseAllowedOrigins(list: string | readonly string[]): AllowedOrigin[] {
  const entries = (typeof list === "string" ? list.split(",") : list).map((e) => e.trim()).filter(Boolean);
  return entries.map(parseOrigin);
}

function parseOrigin(entry: string): AllowedOrigin {
  // Before any message quotes the entry: credentials never reach an error or a log.
  if (entry.includes("@")) throw new Error("an entry holds credentials (user@ or user:password@); an origin is scheme://host:port or host:port");
  const withScheme = entry.includes("://");
  if (!withScheme && !/:\d{1,5}$/.test(entry)) throw new Error(`"${entry}" is not an origin: write scheme://host:port or host:port`);
  let url: URL;
  try {
    url = new URL(withScheme ? entry : `http://${entry}`);
  } catch {
    throw new Error(`"${entry}" is not an origin: write scheme://host:port or host:port`);
  }
  if (!(url.protocol in DEFAULT_PORT)) throw new Error(`"${entry}": only http and https origins can be allowed`);
  if (url.pathname !== "/" || url.search || url.hash || (withScheme && /\/[^/]/.test(entry.slice(entry.indexOf("://") + 3)))) {
    throw new Error(`"${entry}" is not an origin: no path or query`);
  }
  return {
    ...(withScheme ? { scheme: url.protocol } : {}),
    hostname: url.hostname,
    port: url.port || DEFAULT_PORT[url.protocol]!,
  };
}

export function isAllowedOrigin(origins: readonly AllowedOrigin[], url: URL): boolean {
  const port = url.port || DEFAULT_PORT[url.protocol];
  return origins.some((o) => o.hostname === url.hostname && o.port === port && (!o.scheme || o.scheme === url.protocol));
}
