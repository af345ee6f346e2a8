// The outbound guard with an injected resolver and transport: every non-public
// spelling refused, origins (not hosts) allow-listed, a DNS answer that changes
// between the check and the request (rebinding) refused at the request, and a
// stalled lookup a DependencyError rather than a hang.
import { describe, expect, it } from "vitest";
import { isDependencyError } from "../../core/errors.ts";
import { OutboundGuard, RefusedUrl, type HopResponse, type ResolvedAddress, type Transport } from "./outbound-guard.ts";
import { parseAllowedOrigins } from "./allowed-origins.ts";

const PUBLIC: ResolvedAddress[] = [{ address: "93.184.216.34", family: 4 }];
const NON_PUBLIC: [string, ResolvedAddress[]][] = [
  ["127.0.0.1", [{ address: "127.0.0.1", family: 4 }]],
  ["169.254.169.254", [{ address: "169.254.169.254", family: 4 }]],
  ["10.1.2.3", [{ address: "10.1.2.3", family: 4 }]],
  ["::1", [{ address: "::1", family: 6 }]],
  ["fc00::1", [{ address: "fc00::1", family: 6 }]],
  ["::ffff:127.0.0.1", [{ address: "::ffff:127.0.0.1", family: 6 }]],
];

/** A resolver whose answers a test changes between calls, as a rebinding DNS server does. */
function switchingDns(first: ResolvedAddress[]) {
  let answer = first;
  const lookups: string[] = [];
  return {
    resolve: async (host: string) => (lookups.push(host), answer),
    rebind: (next: ResolvedAddress[]) => void (answer = next),
    lookups,
  };
}

function recordingTransport() {
  const seen: { url: string; pinned: ResolvedAddress[] | null; method: string; body?: string }[] = [];
  const transport: Transport = async (url, pinned, request) => {
    seen.push({ url: url.toString(), pinned, method: request.method, ...(request.body !== undefined ? { body: request.body } : {}) });
    const response: HopResponse = { status: 204, header: () => undefined, body: (async function* () {})(), discard: () => undefined };
    return response;
  };
  return { transport, seen };
}

const post = { method: "POST" as const, headers: {}, body: "{}", signal: new AbortController().signal };

describe("OutboundGuard.check: literal addresses in every spelling", () => {
  const guard = new OutboundGuard({ resolve: async () => PUBLIC });
  it.each([
    ["https://127.0.0.1/hook", /loopback/],
    ["https://localhost/hook", /local or metadata/],
    ["https://LOCALHOST./hook", /local or metadata/],
    ["https://api.localhost/hook", /local or metadata/],
    ["https://[::1]/hook", /loopback/],
    ["https://0.0.0.0/hook", /unspecified/],
    ["https://2130706433/hook", /loopback/],
    ["https://0177.0.0.1/hook", /loopback/],
    ["https://0x7f000001/hook", /loopback/],
    ["https://0x7f.0.0.1/hook", /loopback/],
    ["https://127.1/hook", /loopback/],
    ["https://[::ffff:127.0.0.1]/hook", /loopback/],
    ["https://[::ffff:7f00:1]/hook", /loopback/],
    ["https://[0:0:0:0:0:0:0:1]/hook", /loopback/],
    ["https://169.254.169.254/computeMetadata/v1/", /link-local/],
    ["https://metadata.google.internal/", /local or metadata/],
    ["https://10.0.0.1/hook", /private/],
    ["https://192.168.1.1/hook", /private/],
    ["https://[fc00::1]/hook", /unique-local/],
    ["https://[fe80::1]/hook", /link-local/],
    ["https://user:pass@example.com/hook", /credentials/],
    ["http://user:pass@127.0.0.1:9/hook", /credentials/],
    ["http://example.com/hook", /only https/],
    ["not a url", /not a valid URL/],
  ])("refuses %s", async (url, reason) => {
    const verdict = await guard.check(url);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
    expect(!verdict.allowed && verdict.reason).not.toMatch(/pass/);
  });

  it("allows https to a host whose addresses are all public", async () => {
    expect(await guard.check("https://hooks.example.com/x?token=1")).toEqual({ allowed: true });
  });
});

describe("OutboundGuard.check: host names resolving to non-public addresses", () => {
  it.each(NON_PUBLIC)("refuses a host that resolves to %s", async (_, addresses) => {
    const guard = new OutboundGuard({ resolve: async () => addresses });
    const verdict = await guard.check("https://hooks.example.com/x");
    expect(verdict.allowed).toBe(false);
  });

  it("refuses a host when any one of its addresses is non-public", async () => {
    const guard = new OutboundGuard({ resolve: async () => [...PUBLIC, { address: "10.0.0.5", family: 4 }] });
    expect(await guard.check("https://hooks.example.com/x")).toMatchObject({ allowed: false, reason: expect.stringMatching(/10\.0\.0\.5, a private address/) });
  });

  it("answers a stalled lookup with a DependencyError within its deadline", async () => {
    const guard = new OutboundGuard({ resolve: () => new Promise(() => undefined), resolveTimeoutMs: 50 });
    const error = await guard.check("https://slow.example.com/x").catch((e: unknown) => e);
    expect(isDependencyError(error)).toBe(true);
  });
});

describe("OutboundGuard.send: DNS rebinding between the check and the request", () => {
  it.each(NON_PUBLIC)("refuses at the request a host that now resolves to %s, and connects nowhere", async (_, addresses) => {
    const dns = switchingDns(PUBLIC);
    const { transport, seen } = recordingTransport();
    const guard = new OutboundGuard({ resolve: dns.resolve, transport });
    expect(await guard.check("https://rebind.example.com/hook")).toEqual({ allowed: true });
    dns.rebind(addresses);
    await expect(guard.send(new URL("https://rebind.example.com/hook"), post)).rejects.toBeInstanceOf(RefusedUrl);
    expect(seen).toEqual([]);
  });

  it("connects only to the addresses it judged (pinned), looked up once per request", async () => {
    const dns = switchingDns(PUBLIC);
    const { transport, seen } = recordingTransport();
    const guard = new OutboundGuard({ resolve: dns.resolve, transport });
    await guard.send(new URL("https://hooks.example.com/hook"), post);
    expect(seen).toEqual([{ url: "https://hooks.example.com/hook", pinned: PUBLIC, method: "POST", body: "{}" }]);
    expect(dns.lookups).toEqual(["hooks.example.com"]);
  });
});

describe("allow-listed origins", () => {
  const { transport, seen } = recordingTransport();
  const guard = new OutboundGuard({
    resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    transport,
    allowOrigins: "http://127.0.0.1:9000, receiver.test:8443",
  });

  it("reaches an allow-listed origin, over http too, unpinned", async () => {
    expect(await guard.check("http://127.0.0.1:9000/hooks")).toEqual({ allowed: true });
    expect(await guard.check("https://receiver.test:8443/hooks")).toEqual({ allowed: true });
    await guard.send(new URL("http://127.0.0.1:9000/hooks"), post);
    expect(seen.at(-1)).toMatchObject({ url: "http://127.0.0.1:9000/hooks", pinned: null });
  });

  it.each([
    "http://127.0.0.1:9001/hooks", // another port of the same host
    "https://127.0.0.1:9000/hooks", // the same port under another scheme than the origin names
    "http://localhost:9000/hooks", // another spelling is another origin
    "http://2130706433:9001/hooks",
    "https://receiver.test/hooks", // the default port is not 8443
  ])("does not stretch to %s", async (url) => {
    expect((await guard.check(url)).allowed).toBe(false);
  });

  it("still refuses credentials on an allow-listed origin", async () => {
    expect((await guard.check("http://u:p@127.0.0.1:9000/hooks")).allowed).toBe(false);
  });

  it("is empty by default: nothing non-public is reachable", async () => {
    const closed = new OutboundGuard({ resolve: async () => PUBLIC });
    expect((await closed.check("http://127.0.0.1:9000/hooks")).allowed).toBe(false);
  });

  it.each([["127.0.0.1"], ["localhost"], ["http://127.0.0.1:9000/path"], ["ftp://h:21"], ["http://u:s3cr3t@h:1"], ["u:s3cr3t@h:1"], ["*"]])("refuses %s as an origin", (entry) => {
    expect(() => parseAllowedOrigins(entry)).toThrow(/origin/);
    expect(() => parseAllowedOrigins(entry)).not.toThrow(/s3cr3t/);
  });

  it("normalises default ports and host spellings", () => {
    expect(parseAllowedOrigins("https://Example.COM, http://h:80, 0177.0.0.1:5")).toEqual([
      { scheme: "https:", hostname: "example.com", port: "443" },
      { scheme: "http:", hostname: "h", port: "80" },
      { hostname: "127.0.0.1", port: "5" },
    ]);
  });
});
