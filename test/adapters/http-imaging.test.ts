// The HTTP imaging adapter against the provider stand-in: the JSON contract
// both ways, and each kind of answer mapped to the task runtime's control flow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { HttpImaging } from "../../functions/adapters/imaging/http-imaging.ts";
import { isNonRetryable, isRetryAfter } from "../../functions/core/errors.ts";
import type { SourceImage } from "../../functions/tasks/media/imaging.ts";
import { startMediaProvider, type MediaProviderEmulator } from "../../emulators/media-provider/index.ts";

const limits = { maxInputBytes: 1e6, maxInlineBytes: 1e4, maxInputPixels: 1e6 };
let provider: MediaProviderEmulator;
let imaging: HttpImaging;
let image: SourceImage;
const signal = () => new AbortController().signal;

beforeAll(async () => {
  provider = await startMediaProvider({ token: "t0ken" });
  imaging = new HttpImaging({ url: `${provider.url}/`, token: "t0ken", timeoutMs: 5_000, limits });
  const data = await sharp({ create: { width: 24, height: 16, channels: 3, background: "#c08040" } }).png().toBuffer();
  image = { data, info: await imaging.probe(data) };
});

afterAll(async () => {
  await provider?.close();
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("HttpImaging", () => {
  it("sends each operation's params and images, and reads the image back", async () => {
    provider.clear();
    const generated = await imaging.generate({ prompt: "p", width: 32, height: 8, seed: 3, steps: 4 }, signal());
    expect(await imaging.probe(generated.data)).toEqual({ format: "png", width: 32, height: 8 });
    expect(generated.metadata).toEqual({ model: "fake-image_generation", emulator: true });
    const styled = await imaging.transferStyle({ image, style: "emboss", strength: 0.3 }, signal());
    expect((await imaging.probe(styled.data)).format).toBe("webp");
    await imaging.removeObject({ image, mask: image }, signal());
    await imaging.swapFace({ source: image, target: image, faceBox: { x: 1, y: 2, width: 3, height: 4 } }, signal());
    const calls = provider.calls();
    expect(calls.map((c) => [c.operation, c.authorized])).toEqual([["image_generation", true], ["style_transfer", true], ["object_removal", true], ["face_swap", true]]);
    expect(calls[1]!.params).toEqual({ style: "emboss", strength: 0.3 });
    expect(calls[2]!.images).toEqual({ image: { content_type: "image/png", width: 24, height: 16, bytes: image.data.length }, mask: { content_type: "image/png", width: 24, height: 16, bytes: image.data.length } });
    expect(calls[3]!.params).toEqual({ face_box: { x: 1, y: 2, width: 3, height: 4 }, target_face_box: null });
  });

  it("turns 429 into a retry after the provider's delay", async () => {
    provider.failNext(429, 1, { retryAfterSeconds: 9 });
    const error = await failure(imaging.removeBackground({ image }, signal()));
    expect(isRetryAfter(error) && error.retryAfterSeconds).toBe(9);
  });

  it("turns other 4xx into a final failure with the provider's message", async () => {
    provider.failNext(400, 1, { message: "unsupported style" });
    const error = await failure(imaging.removeBackground({ image }, signal()));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toBe("imaging provider refused background_removal with 400: unsupported style");
    const stranger = new HttpImaging({ url: provider.url, token: "wrong", limits });
    expect(isNonRetryable(await failure(stranger.removeBackground({ image }, signal())))).toBe(true);
  });

  it("leaves 5xx and timeouts to be retried", async () => {
    provider.failNext(502, 1);
    const bad = await failure(imaging.removeBackground({ image }, signal()));
    expect(isNonRetryable(bad) || isRetryAfter(bad)).toBe(false);
    provider.stallNext(2_000, 1);
    const impatient = new HttpImaging({ url: provider.url, token: "t0ken", timeoutMs: 200, limits });
    const slow = await failure(impatient.removeBackground({ image }, signal()));
    expect(slow.message).toMatch(/timed out after 200 ms/);
    expect(isNonRetryable(slow)).toBe(false);
  });

  it("gives up at once with the task's reason when its signal aborts", async () => {
    provider.stallNext(2_000, 1);
    const controller = new AbortController();
    const reason = new Error("revoked while running");
    setTimeout(() => controller.abort(reason), 100);
    expect(await failure(imaging.removeBackground({ image }, controller.signal))).toBe(reason);
  });
});
