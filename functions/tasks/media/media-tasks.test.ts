// The media tasks against in-memory ports and the local (sharp) provider: the
// submit-time prepare step, the execution-time checks that need the image, the
// progress stages and the result's shape.
import { beforeEach, describe, expect, it } from "vitest";
import sharp from "sharp";
import { MemoryBlobStore } from "../../../test/helpers/memory-ports.ts";
import { SubmissionError, isNonRetryable, type PrepareContext } from "../../core/task-kit.ts";
import type { MediaContext, mediaUses } from "./ports.ts";
import type { RemoteFiles } from "./remote-files.ts";
import { LocalImaging } from "../../adapters/imaging/local/local-imaging.ts";
import { backgroundRemoval } from "./background-removal.ts";
import { objectRemoval } from "./object-removal.ts";
import { imageGeneration } from "./image-generation.ts";
import { faceSwap } from "./face-swap.ts";

const limits = { maxInputBytes: 200_000, maxInlineBytes: 2_000, maxInputPixels: 1_000_000 };
const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log };

class FakeRemoteFiles implements RemoteFiles {
  readonly checked: string[] = [];
  async check(url: string) {
    this.checked.push(url);
    return url.includes("10.0.0.1") ? { allowed: false as const, reason: "10.0.0.1 is a private address" } : { allowed: true as const };
  }
  async download(): Promise<never> {
    throw new Error("not used");
  }
}

let blobs: MemoryBlobStore;
let remoteFiles: FakeRemoteFiles;
let progress: number[];
const imaging = new LocalImaging({ limits });

beforeEach(() => {
  blobs = new MemoryBlobStore();
  remoteFiles = new FakeRemoteFiles();
  progress = [];
});

const prepareContext = (taskId: string, tenant = "acme") => ({ taskId, tenant, log, blobs, imaging, remoteFiles }) as unknown as PrepareContext<typeof mediaUses>;
const taskContext = (taskId: string, tenant = "acme") =>
  ({
    taskId, tenant, attempt: 1, maxAttempts: 4, signal: new AbortController().signal, log, blobs, imaging, remoteFiles,
    progress: async (percent: number) => void progress.push(percent),
    enqueue: async () => ({ taskId: "child" }),
  }) as unknown as MediaContext;

const solid = (width: number, height: number, colour = "#336699") =>
  sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

async function upload(path: string, data: Buffer, contentType = "image/png"): Promise<string> {
  return (await blobs.put(path, data, { contentType })).uri;
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

describe("prepare (at submit)", () => {
  it("moves a small inline image to storage and carries only its gs:// URI", async () => {
    const png = await solid(8, 8);
    const prepared = await backgroundRemoval.prepare!({ image: `data:image/png;base64,${png.toString("base64")}` }, prepareContext("t1"));
    expect(prepared).toEqual({ image: "gs://memory/media/acme/t1/input-image.png" });
    expect(blobs.objects.get("media/acme/t1/input-image.png")?.data).toEqual(png);
  });

  it("answers 413 naming the field when the inline image is over the cap", async () => {
    const big = Buffer.alloc(3_000, 1);
    const error = await refusal(backgroundRemoval.prepare!({ image: `data:image/png;base64,${big.toString("base64")}` }, prepareContext("t2")));
    expect(error).toBeInstanceOf(SubmissionError);
    expect((error as SubmissionError).code).toBe("payload_too_large");
    expect((error as SubmissionError).details).toMatchObject({ field: "payload.image", limit_bytes: 2_000 });
    expect(blobs.objects.size).toBe(0);
  });

  it("refuses an inline image whose bytes are not what its type says", async () => {
    const error = await refusal(backgroundRemoval.prepare!({ image: `data:image/png;base64,${Buffer.from("GIF89a....").toString("base64")}` }, prepareContext("t3")));
    expect((error as SubmissionError).code).toBe("invalid_payload");
    expect(error.message).toMatch(/payload\.image: .*says image\/png/);
  });

  it("names each field whose URL the fetch policy refuses, and stores nothing", async () => {
    const png = await solid(8, 8);
    const error = await refusal(
      faceSwap.prepare!(
        { source_image: "https://10.0.0.1/face.png", target_image: `data:image/png;base64,${png.toString("base64")}` },
        prepareContext("t4"),
      ),
    );
    expect((error as SubmissionError).details).toEqual({ fields: [{ path: "payload.source_image", message: "this URL will not be fetched: 10.0.0.1 is a private address" }] });
    expect(blobs.objects.size).toBe(0);
  });

  it("checks gs:// inputs: the platform's bucket, under media/, existing, not too large", async () => {
    const ctx = prepareContext("t5");
    const message = async (image: string) => (await refusal(backgroundRemoval.prepare!({ image }, ctx))).message;
    expect(await message("gs://other-bucket/media/acme/a.png")).toMatch(/platform's bucket \(memory\)/);
    expect(await message("gs://memory/tts/a.mp3")).toMatch(/does not exist/);
    expect(await message("gs://memory/media/acme/uploads/missing.png")).toMatch(/does not exist/);
    await upload("media/acme/uploads/huge.png", Buffer.alloc(300_000));
    expect((await refusal(backgroundRemoval.prepare!({ image: "gs://memory/media/acme/uploads/huge.png" }, ctx)) as SubmissionError).code).toBe("payload_too_large");
    const ok = await upload("media/acme/uploads/ok.png", await solid(4, 4));
    expect(await backgroundRemoval.prepare!({ image: ok }, ctx)).toEqual({ image: ok });
  });

  it("treats another tenant's upload as absent, at submit and at execution", async () => {
    const theirs = await upload("media/other/uploads/theirs.png", await solid(4, 4));
    expect((await refusal(backgroundRemoval.prepare!({ image: theirs }, prepareContext("t6")))).message).toMatch(/does not exist/);
    expect((await refusal(backgroundRemoval.handler({ image: theirs }, taskContext("run7")))).message).toMatch(/must be in gs:\/\/memory\/media\/acme\//);
    expect(await backgroundRemoval.prepare!({ image: theirs }, prepareContext("t7", "other"))).toEqual({ image: theirs });
  });
});

describe("execution", () => {
  it("runs background removal through its stages to a stored PNG with a signed URL", async () => {
    const image = await upload("media/acme/uploads/in.png", await solid(40, 30, "#ffffff"));
    const result = await backgroundRemoval.handler({ image }, taskContext("run1"));
    expect(result).toMatchObject({ gcs_uri: "gs://memory/media/acme/run1/output.png", width: 40, height: 30, format: "png", provider: "local" });
    expect(result.url).toContain("media/acme/run1/output.png");
    expect(progress).toEqual([5, 30, 85, 100]);
    const stored = blobs.objects.get("media/acme/run1/output.png")!;
    expect(result.bytes).toBe(stored.data.length);
    expect((await sharp(stored.data).metadata()).hasAlpha).toBe(true);
  });

  it("fails for good, naming the fields, when the mask is not the image's size", async () => {
    const image = await upload("media/acme/uploads/i.png", await solid(40, 30));
    const mask = await upload("media/acme/uploads/m.png", await solid(20, 30));
    const error = await refusal(objectRemoval.handler({ image, mask }, taskContext("run2")));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toBe("payload.mask is 20×30 but payload.image is 40×30; they must be the same size");
  });

  it("fails for good when the box reaches outside the image", async () => {
    const image = await upload("media/acme/uploads/i2.png", await solid(40, 30));
    const error = await refusal(objectRemoval.handler({ image, box: { x: 30, y: 0, width: 20, height: 10 } }, taskContext("run3")));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toMatch(/payload\.box .* reaches outside payload\.image, which is 40×30/);
  });

  it("fails for good, naming the field, when the image has more pixels than allowed", async () => {
    const image = await upload("media/acme/uploads/wide.png", await solid(1200, 1000));
    const error = await refusal(backgroundRemoval.handler({ image }, taskContext("run4")));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toMatch(/^payload\.image: .*1200×1000 = 1200000 pixels; the limit is 1000000/);
  });

  it("fails for good when an input is not an image", async () => {
    const image = await upload("media/acme/uploads/text.png", Buffer.from("hello, not an image"));
    const error = await refusal(backgroundRemoval.handler({ image }, taskContext("run5")));
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).toMatch(/^payload\.image: not a readable image/);
  });

  it("generates the same image for the same prompt and seed, at the size asked", async () => {
    const input = { prompt: "a red kite", width: 96, height: 64, seed: 42, steps: 20 };
    const first = await imageGeneration.handler(input, taskContext("gen1"));
    const second = await imageGeneration.handler(input, taskContext("gen2"));
    expect(first).toMatchObject({ width: 96, height: 64, format: "png" });
    expect(second.bytes).toBe(first.bytes);
    expect(blobs.objects.get("media/acme/gen1/output.png")!.data).toEqual(blobs.objects.get("media/acme/gen2/output.png")!.data);
    const other = await imageGeneration.handler({ ...input, seed: 43 }, taskContext("gen3"));
    expect(other.bytes === first.bytes && blobs.objects.get("media/acme/gen3/output.png")!.data.equals(blobs.objects.get("media/acme/gen1/output.png")!.data)).toBe(false);
  });

  it("stops between stages once the task is cancelled", async () => {
    const image = await upload("media/acme/uploads/c.png", await solid(40, 30));
    const controller = new AbortController();
    const ctx = { ...taskContext("run6"), signal: controller.signal } as MediaContext;
    controller.abort(new Error("revoked while running"));
    await expect(backgroundRemoval.handler({ image }, ctx)).rejects.toThrow("revoked while running");
    expect(blobs.objects.has("media/acme/run6/output.png")).toBe(false);
  });
});
