// A stand-in for an imaging provider speaking the HTTP contract of
// functions/adapters/imaging/http-imaging.ts (docs/media.md): it checks the
// bearer token and the request's shape, answers with a real (if dull) image made
// by sharp, records every call, and can be told to fail, throttle or stall.
import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

const MediaOperation = ["image_generation", "face_swap", "background_removal", "object_removal", "style_transfer"] as const;
type MediaOperation = (typeof MediaOperation)[number];

/** The images each operation needs. */
const REQUIRED_IMAGES: Record<MediaOperation, string[]> = {
  image_generation: [],
  face_swap: ["source", "target"],
  background_removal: ["image"],
  object_removal: ["image"],
  style_transfer: ["image"],
};

interface MediaProviderCall {
  operation: string;
  authorized: boolean;
  params: Record<string, unknown>;
  images: Record<string, { content_type: string; width: number; height: number; bytes: number }>;
  status: number;
  at: number;
}

export interface MediaProviderEmulator {
  url: string;
  port: number;
  calls(): MediaProviderCall[];
  clear(): void;
  /** Answer the next `times` calls with `status` (429 carries Retry-After: retryAfterSeconds). */
  failNext(status: number, times: number, options?: { retryAfterSeconds?: number; message?: string }): void;
  /** Hold the next `times` calls this long before answering (or until the client goes away). */
  stallNext(ms: number, times: number): void;
  close(): Promise<void>;
}

interface WireImage {
  data: string;
  content_type: string;
  width: number;
  height: number;
}

export async function startMediaProvider(options: { token?: string; port?: number; log?: (line: string) => void } = {}): Promise<MediaProviderEmulator> {
  const calls: MediaProviderCall[] = [];
  let failure: { status: number; times: number; retryAfterSeconds?: number; message?: string } | null = null;
  let stall: { ms: number; times: number } | null = null;

  const answer = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const match = /^\/v1\/([a-z_]+)$/.exec(req.url ?? "");
        if (req.method === "GET" && req.url === "/healthz") return answer(res, 200, { ok: true });
        if (req.method !== "POST" || !match || !(MediaOperation as readonly string[]).includes(match[1]!)) {
          return answer(res, 404, { error: { message: `no operation ${req.method} ${req.url}` } });
        }
        const operation = match[1] as MediaOperation;
        const authorized = !options.token || req.headers.authorization === `Bearer ${options.token}`;
        let body: { params?: Record<string, unknown>; images?: Record<string, WireImage> };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
        } catch {
          return answer(res, 400, { error: { message: "the body is not JSON" } });
        }
        const images = body.images ?? {};
        const call: MediaProviderCall = {
          operation,
          authorized,
          params: body.params ?? {},
          images: Object.fromEntries(Object.entries(images).map(([k, v]) => [k, { content_type: v.content_type, width: v.width, height: v.height, bytes: Buffer.from(v.data ?? "", "base64").length }])),
          status: 0,
          at: Date.now(),
        };
        calls.push(call);
        const respond = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
          call.status = status;
          options.log?.(`${operation} → ${status}`);
          answer(res, status, payload, headers);
        };
        if (!authorized) return respond(401, { error: { message: "missing or wrong bearer token" } });
        if (stall && stall.times > 0) {
          stall.times -= 1;
          const ms = stall.ms;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            res.on("close", () => { clearTimeout(timer); resolve(); });
          });
          if (res.destroyed) return (call.status = 499);
        }
        if (failure && failure.times > 0) {
          failure.times -= 1;
          const headers: Record<string, string> = failure.status === 429 ? { "Retry-After": String(failure.retryAfterSeconds ?? 1) } : {};
          return respond(failure.status, { error: { message: failure.message ?? `failing on purpose with ${failure.status}` } }, headers);
        }
        const missing = REQUIRED_IMAGES[operation].filter((name) => typeof images[name]?.data !== "string");
        if (missing.length) return respond(400, { error: { message: `images.${missing.join(", images.")} missing` } });
        try {
          const output = await render(operation, body.params ?? {}, images);
          respond(200, { image: { data: output.data.toString("base64"), content_type: output.contentType }, metadata: { model: `fake-${operation}`, emulator: true } });
        } catch (error) {
          respond(422, { error: { message: `cannot process: ${(error as Error).message}` } });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls: () => [...calls],
    clear: () => void (calls.length = 0),
    failNext: (status, times, extra = {}) => void (failure = { status, times, ...extra }),
    stallNext: (ms, times) => void (stall = { ms, times }),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Plain transformations in a format of each operation's own, so callers must read the format from the answer. */
async function render(operation: MediaOperation, params: Record<string, unknown>, images: Record<string, WireImage>): Promise<{ data: Buffer; contentType: string }> {
  const input = (name: string) => sharp(Buffer.from(images[name]!.data, "base64"));
  switch (operation) {
    case "image_generation": {
      const width = Number(params.width);
      const height = Number(params.height);
      if (!Number.isInteger(width) || !Number.isInteger(height)) throw new Error("params.width and params.height must be integers");
      const seed = Number(params.seed ?? 0);
      const background = { r: seed % 256, g: (seed >> 8) % 256, b: (seed >> 16) % 256 };
      return { data: await sharp({ create: { width, height, channels: 3, background } }).png().toBuffer(), contentType: "image/png" };
    }
    case "face_swap":
      return { data: await input("target").jpeg().toBuffer(), contentType: "image/jpeg" };
    case "background_removal":
      return { data: await input("image").ensureAlpha(0.5).png().toBuffer(), contentType: "image/png" };
    case "object_removal":
      return { data: await input("image").blur(2).png().toBuffer(), contentType: "image/png" };
    case "style_transfer":
      return { data: await input("image").greyscale().webp().toBuffer(), contentType: "image/webp" };
  }
}
