// The media tasks with MEDIA_PROVIDER=http, on a stack of their own pointed at
// the imaging provider stand-in: the JSON contract, 429 → retry after its delay,
// other 4xx → failure, 5xx → retry, cancel while the provider works, and image
// URLs fetched behind the SSRF guard (an allow-listed local server, redirects
// re-checked, content type and size enforced).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startStack, type Stack } from "../../emulators/stack.ts";
import { startMediaProvider, type MediaProviderEmulator } from "../../emulators/media-provider/index.ts";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { downloadOutput, mediaResult, testPicture, uploadedUri, waitForEnd } from "../helpers/media-client.ts";

const TOKEN = "provider-token-for-tests";
const MAX_INPUT_BYTES = 200_000;

let stack: Stack;
let provider: MediaProviderEmulator;
let images: http.Server;
let imagesPort: number;
let api: ReturnType<typeof apiClient>;
let picture: Buffer;

beforeAll(async () => {
  picture = await testPicture(96, 72);
  images = http.createServer((req, res) => {
    const port = (images.address() as AddressInfo).port;
    switch (req.url) {
      case "/pic.png": return void res.writeHead(200, { "Content-Type": "image/png" }).end(picture);
      case "/redirect-in": return void res.writeHead(302, { Location: "/pic.png" }).end();
      case "/redirect-out": return void res.writeHead(302, { Location: `http://localhost:${port}/pic.png` }).end();
      case "/page": return void res.writeHead(200, { "Content-Type": "text/html" }).end("<html></html>");
      case "/huge.png": {
        const body = Buffer.concat([picture, Buffer.alloc(MAX_INPUT_BYTES)]);
        return void res.writeHead(200, { "Content-Type": "image/png", "Content-Length": String(body.length) }).end(body);
      }
      case "/endless.png": {
        // No length given: the cap must hold while the body streams.
        res.writeHead(200, { "Content-Type": "image/png" });
        res.write(picture);
        const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
        res.on("close", () => clearInterval(timer));
        return;
      }
      default: return void res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
  imagesPort = (images.address() as AddressInfo).port;
  provider = await startMediaProvider({ token: TOKEN });
  stack = await startStack({
    keyPrefix: "media-http",
    logLevel: process.env.STACK_LOG_LEVEL ?? "warn",
    log: process.env.STACK_LOG ? (source, line) => process.stderr.write(`${source} ${line}\n`) : undefined,
    env: {
      MEDIA_PROVIDER: "http",
      MEDIA_PROVIDER_URL: provider.url,
      MEDIA_PROVIDER_TOKEN: TOKEN,
      MEDIA_MAX_INPUT_BYTES: String(MAX_INPUT_BYTES),
      OUTBOUND_ALLOW_ORIGINS: `127.0.0.1:${imagesPort}`,
    },
  });
  api = apiClient(stack.apiUrl, stack.apiKey);
});

afterAll(async () => {
  await stack?.stop();
  await provider?.close();
  images?.closeAllConnections();
  await new Promise((resolve) => images?.close(resolve));
});

const upload = (data: Buffer, type = "image/png") => uploadedUri(stack.apiUrl, stack.apiKey, data, type);
const callsOf = (operation: string) => provider.calls().filter((c) => c.operation === operation);

async function submitted(type: string, payload: Record<string, unknown>): Promise<string> {
  const answer = await api.submit(type, payload);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.task_id;
}

describe("the HTTP provider's contract", () => {
  it.each([
    ["media.image_generation", "image_generation", "png", async () => ({ prompt: "a boat", width: 128, height: 64, seed: 5, steps: 12 })],
    ["media.background_removal", "background_removal", "png", async () => ({ image: await upload(picture) })],
    ["media.object_removal", "object_removal", "png", async () => ({ image: await upload(picture), box: { x: 4, y: 4, width: 10, height: 10 } })],
    ["media.style_transfer", "style_transfer", "webp", async () => ({ image: await upload(picture), style: "watercolor", strength: 0.5 })],
    ["media.face_swap", "face_swap", "jpeg", async () => ({ source_image: await upload(picture), target_image: await upload(picture) })],
  ])("%s ends SUCCESS with the provider's image, as it says", async (type, operation, format, payload) => {
    provider.clear();
    const id = await submitted(type, await payload());
    const final = await waitForEnd(api, id);
    expect(final.error).toBeNull();
    expect(final.status).toBe("SUCCESS");
    expect(final.progressSeen.at(-1)).toBe(100);
    const result = await mediaResult(api, id);
    expect(result).toMatchObject({ provider: "http", format, metadata: { model: `fake-${operation}`, emulator: true } });
    const output = await downloadOutput(result);
    expect([output.format, output.width, output.height, output.bytes]).toEqual([format, result.width, result.height, result.bytes]);
    const [call] = callsOf(operation);
    expect(call).toMatchObject({ authorized: true, status: 200 });
    if (operation === "image_generation") {
      expect(call!.params).toEqual({ prompt: "a boat", negative_prompt: null, width: 128, height: 64, seed: 5, steps: 12 });
      expect([result.width, result.height]).toEqual([128, 64]);
    } else {
      const sent = call!.images[operation === "face_swap" ? "target" : "image"]!;
      expect(sent).toEqual({ content_type: "image/png", width: 96, height: 72, bytes: picture.length });
    }
    if (operation === "style_transfer") expect(call!.params).toEqual({ style: "watercolor", strength: 0.5 });
    if (operation === "object_removal") expect(call!.params).toEqual({ box: { x: 4, y: 4, width: 10, height: 10 } });
  });
});

describe("provider failures", () => {
  it("retries after the provider's 429 Retry-After, then succeeds", async () => {
    provider.clear();
    provider.failNext(429, 1, { retryAfterSeconds: 1 });
    const id = await submitted("media.background_removal", { image: await upload(picture) });
    const final = await waitForEnd(api, id);
    expect(final.status).toBe("SUCCESS");
    expect(final.attempts).toBe(2);
    expect(callsOf("background_removal").map((c) => c.status)).toEqual([429, 200]);
  });

  it("fails at once, with the provider's words, on another 4xx", async () => {
    provider.clear();
    provider.failNext(422, 1, { message: "no face found in source" });
    const id = await submitted("media.face_swap", { source_image: await upload(picture), target_image: await upload(picture) });
    const final = await waitForEnd(api, id);
    expect(final.status).toBe("FAILURE");
    expect(final.attempts).toBe(1);
    expect(final.error).toEqual({ type: "NonRetryableError", message: "imaging provider refused face_swap with 422: no face found in source" });
    expect(callsOf("face_swap")).toHaveLength(1);
  });

  it("retries a 5xx with backoff", async () => {
    provider.clear();
    provider.failNext(503, 1);
    const id = await submitted("media.style_transfer", { image: await upload(picture), style: "sketch", strength: 1 });
    const final = await waitForEnd(api, id);
    expect(final.status).toBe("SUCCESS");
    expect(final.attempts).toBe(2);
  });

  it("honours a cancel while the provider is working, and abandons its request", async () => {
    provider.clear();
    provider.stallNext(20_000, 1);
    const id = await submitted("media.object_removal", { image: await upload(picture), box: { x: 0, y: 0, width: 8, height: 8 } });
    await eventually(async () => {
      const { body } = await api.status(id);
      expect(body.progress).toBe(30);
    }, { timeoutMs: 15_000, intervalMs: 25 });
    const cancel = await api.call("POST", `/v1/tasks/${id}/cancel`, { terminate: true });
    expect(cancel.status).toBe(202);
    const final = await waitForEnd(api, id, 10_000);
    expect(final.status).toBe("REVOKED");
    await eventually(() => expect(callsOf("object_removal").map((c) => c.status)).toEqual([499]));
  });
});

describe("image URLs behind the SSRF guard", () => {
  const base = () => `http://127.0.0.1:${imagesPort}`;

  it("fetches an allow-listed host's image, following a redirect that stays there", async () => {
    for (const path of ["/pic.png", "/redirect-in"]) {
      const id = await submitted("media.background_removal", { image: `${base()}${path}` });
      const final = await waitForEnd(api, id);
      expect(final.status).toBe("SUCCESS");
      expect((await mediaResult(api, id)).width).toBe(96);
    }
  });

  it("refuses a redirect to a host that is not allowed, at execution, for good", async () => {
    const id = await submitted("media.background_removal", { image: `${base()}/redirect-out` });
    const final = await waitForEnd(api, id);
    expect(final.status).toBe("FAILURE");
    expect(final.attempts).toBe(1);
    expect(final.error?.message).toBe(`payload.image: refused to fetch http://localhost:${imagesPort}/pic.png: only https:// URLs are allowed (got http://)`);
  });

  it("refuses what is not an image, and what is larger than the cap", async () => {
    const page = await waitForEnd(api, await submitted("media.background_removal", { image: `${base()}/page` }));
    expect(page.error?.message).toMatch(/^payload\.image: .*\/page is text\/html; expected image\/png/);
    const huge = await waitForEnd(api, await submitted("media.background_removal", { image: `${base()}/huge.png` }));
    expect(huge.status).toBe("FAILURE");
    expect(huge.error?.message).toMatch(new RegExp(`^payload\\.image: .*huge\\.png is ${picture.length + MAX_INPUT_BYTES} bytes; the limit is ${MAX_INPUT_BYTES}`));
    const endless = await waitForEnd(api, await submitted("media.background_removal", { image: `${base()}/endless.png` }));
    expect(endless.status).toBe("FAILURE");
    expect(endless.error?.message).toMatch(new RegExp(`^payload\\.image: .*endless\\.png is larger than the limit of ${MAX_INPUT_BYTES} bytes`));
  });

  it("still refuses private addresses that are not allow-listed", async () => {
    const answer = await api.submit("media.background_removal", { image: `http://127.0.0.1:${imagesPort + 1}/pic.png` });
    expect(answer.status).toBe(400);
  });
});
