// The guarded fetcher with a fake resolver and transport: what it refuses before
// connecting, what it connects to, redirects re-checked, answers mapped to the
// task runtime's control flow, and the size cap while streaming.
import { describe, expect, it } from "vitest";
import { isNonRetryable, isRetryAfter } from "../../core/errors.ts";
import { GuardedRemoteFiles, type HopResponse, type ResolvedAddress, type Transport } from "./guarded-remote-files.ts";

const dns: Record<string, ResolvedAddress[]> = {
  "img.example.com": [{ address: "93.184.216.34", family: 4 }],
  "cdn.example.com": [{ address: "2606:4700::6810:84e5", family: 6 }],
  "sneaky.example.com": [{ address: "93.184.216.35", family: 4 }, { address: "10.0.0.5", family: 4 }],
  "meta.example.com": [{ address: "169.254.169.254", family: 4 }],
};
const resolve = async (host: string) => {
  const found = dns[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found;
};

interface Hop { status: number; headers?: Record<string, string>; body?: Buffer[] }

function fakeTransport(hops: Record<string, Hop>) {
  const seen: { url: string; pinned: ResolvedAddress[] | null }[] = [];
  const transport: Transport = async (url, pinned) => {
    seen.push({ url: url.toString(), pinned });
    const hop = hops[url.toString()];
    if (!hop) throw new Error(`connect ECONNREFUSED ${url}`);
    const response: HopResponse = {
      status: hop.status,
      header: (name) => hop.headers?.[name.toLowerCase()],
      body: (async function* () { for (const chunk of hop.body ?? []) yield chunk; })(),
      discard: () => undefined,
    };
    return response;
  };
  return { transport, seen };
}

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const ok = (body: Buffer[] = [png], type = "image/png"): Hop => ({ status: 200, headers: { "content-type": type }, body });
const accept = ["image/png", "image/jpeg", "image/webp"];

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("check", () => {
  const files = new GuardedRemoteFiles({ resolve, allowOrigins: ["127.0.0.1:8080"] });

  it("allows https to a host that resolves to public addresses only", async () => {
    expect(await files.check("https://img.example.com/a.png")).toEqual({ allowed: true });
    expect(await files.check("https://cdn.example.com/a.png")).toEqual({ allowed: true });
  });

  it.each([
    ["http://img.example.com/a.png", /only https/],
    ["https://127.0.0.1/a.png", /loopback/],
    ["https://[::1]/a.png", /loopback/],
    ["https://169.254.169.254/computeMetadata/v1/", /link-local/],
    ["https://2130706433/a.png", /loopback/],
    ["https://0x7f.1/a.png", /loopback/],
    ["https://10.0.0.1/a.png", /private/],
    ["https://localhost/a.png", /local or metadata/],
    ["https://metadata.google.internal/", /local or metadata/],
    ["https://sneaky.example.com/a.png", /10\.0\.0\.5, a private address/],
    ["https://meta.example.com/a.png", /link-local/],
    ["https://nowhere.example.com/a.png", /does not resolve/],
    ["https://user:pw@img.example.com/a.png", /credentials/],
    ["ftp://img.example.com/a.png", /only https/],
    ["not a url", /not a valid URL/],
  ])("refuses %s", async (url, reason) => {
    const verdict = await files.check(url);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
  });

  it("lets an allow-listed origin through, over http too, and only on its port", async () => {
    expect(await files.check("http://127.0.0.1:8080/a.png")).toEqual({ allowed: true });
    expect((await files.check("http://127.0.0.1:9090/a.png")).allowed).toBe(false);
  });
});

describe("download", () => {
  it("connects only to the addresses it checked", async () => {
    const { transport, seen } = fakeTransport({ "https://img.example.com/a.png": ok() });
    const files = new GuardedRemoteFiles({ resolve, transport });
    const got = await files.download("https://img.example.com/a.png", { maxBytes: 1000, accept });
    expect(got.data).toEqual(png);
    expect(got.contentType).toBe("image/png");
    expect(seen).toEqual([{ url: "https://img.example.com/a.png", pinned: dns["img.example.com"] }]);
  });

  it("re-checks every redirect hop and refuses one that lands on a private address", async () => {
    const { transport, seen } = fakeTransport({
      "https://img.example.com/a.png": { status: 302, headers: { location: "https://cdn.example.com/b.png" } },
      "https://cdn.example.com/b.png": { status: 301, headers: { location: "https://169.254.169.254/latest/meta-data/?token=secret" } },
    });
    const files = new GuardedRemoteFiles({ resolve, transport });
    const error = await failure(files.download("https://img.example.com/a.png", { maxBytes: 1000, accept }));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toMatch(/169\.254\.169\.254.*link-local/);
    expect(error.message).not.toContain("secret");
    expect(seen.map((s) => s.url)).toEqual(["https://img.example.com/a.png", "https://cdn.example.com/b.png"]);
  });

  it("follows relative redirects and stops after the cap", async () => {
    const hops: Record<string, Hop> = {};
    for (let i = 0; i < 5; i += 1) hops[`https://img.example.com/${i}`] = { status: 307, headers: { location: `/${i + 1}` } };
    const files = new GuardedRemoteFiles({ resolve, transport: fakeTransport(hops).transport, maxRedirects: 2 });
    const error = await failure(files.download("https://img.example.com/0", { maxBytes: 1000, accept }));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toMatch(/more than 2 redirects/);
    const within = new GuardedRemoteFiles({ resolve, transport: fakeTransport({ ...hops, "https://img.example.com/2": ok() }).transport, maxRedirects: 2 });
    expect((await within.download("https://img.example.com/0", { maxBytes: 1000, accept })).finalUrl).toBe("https://img.example.com/2");
  });

  it("maps 429 to a retry after its delay, other 4xx to final, 5xx to retryable", async () => {
    const { transport } = fakeTransport({
      "https://img.example.com/429": { status: 429, headers: { "retry-after": "7" } },
      "https://img.example.com/404": { status: 404 },
      "https://img.example.com/503": { status: 503 },
    });
    const files = new GuardedRemoteFiles({ resolve, transport });
    const throttled = await failure(files.download("https://img.example.com/429", { maxBytes: 10, accept }));
    expect(isRetryAfter(throttled) && throttled.retryAfterSeconds).toBe(7);
    expect(isNonRetryable(await failure(files.download("https://img.example.com/404", { maxBytes: 10, accept })))).toBe(true);
    const down = await failure(files.download("https://img.example.com/503", { maxBytes: 10, accept }));
    expect(isNonRetryable(down) || isRetryAfter(down)).toBe(false);
  });

  it("refuses a content type it was not asked for", async () => {
    const files = new GuardedRemoteFiles({ resolve, transport: fakeTransport({ "https://img.example.com/a": ok([Buffer.from("<html>")], "text/html; charset=utf-8") }).transport });
    const error = await failure(files.download("https://img.example.com/a", { maxBytes: 1000, accept }));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toMatch(/text\/html/);
  });

  it("caps the body while it streams, and by its declared length", async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(100));
    const files = new GuardedRemoteFiles({
      resolve,
      transport: fakeTransport({
        "https://img.example.com/big": ok(chunks),
        "https://img.example.com/declared": { status: 200, headers: { "content-type": "image/png", "content-length": "5000" }, body: [png] },
      }).transport,
    });
    const streamed = await failure(files.download("https://img.example.com/big", { maxBytes: 550, accept }));
    expect(isNonRetryable(streamed)).toBe(true);
    expect(streamed.message).toMatch(/larger than the limit of 550/);
    const declared = await failure(files.download("https://img.example.com/declared", { maxBytes: 550, accept }));
    expect(declared.message).toMatch(/5000 bytes/);
  });

  it("passes the caller's abort reason through", async () => {
    const controller = new AbortController();
    const reason = new Error("revoked");
    const transport: Transport = async (_url, _pinned, { signal }) => {
      controller.abort(reason);
      throw signal.reason;
    };
    const files = new GuardedRemoteFiles({ resolve, transport });
    expect(await failure(files.download("https://img.example.com/a.png", { maxBytes: 10, accept, signal: controller.signal }))).toBe(reason);
  });
});
