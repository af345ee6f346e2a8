// The five media tasks end to end on the shared stack (local sharp provider):
// uploads, each task to a downloadable image that is what its result says,
// progress to 100, and the inputs refused at submit with the field named.
import { describe, expect, inject, it } from "vitest";
import sharp from "sharp";
import { apiClient } from "../helpers/api-client.ts";
import { downloadOutput, mediaResult, testPicture, uploadImage, uploadedUri, waitForEnd } from "../helpers/media-client.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const upload = (data: Buffer, type = "image/png") => uploadedUri(stack.apiUrl, stack.apiKey, data, type);

type ErrorBody = { error: { code: string; message: string; details?: { fields?: { path: string; message: string }[]; field?: string; limit_bytes?: number } } };

async function runToSuccess(type: string, payload: Record<string, unknown>) {
  const submitted = await api.submit(type, payload);
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  const final = await waitForEnd(api, submitted.body.task_id);
  expect(final.error).toBeNull();
  expect(final.status).toBe("SUCCESS");
  // Progress only climbs, and ends at 100.
  expect(final.progressSeen).toEqual([...final.progressSeen].sort((a, b) => a - b));
  expect(final.progressSeen.at(-1)).toBe(100);
  const result = await mediaResult(api, submitted.body.task_id);
  const output = await downloadOutput(result);
  expect({ format: output.format, width: output.width, height: output.height, bytes: output.bytes }).toEqual({
    format: result.format, width: result.width, height: result.height, bytes: result.bytes,
  });
  expect(output.contentType).toBe(`image/${result.format}`);
  expect(result.gcs_uri).toBe(`gs://${stack.gcsBucket}/media/dev/${submitted.body.task_id}/output.${result.format}`);
  expect(result.provider).toBe("local");
  expect(String(result.metadata.algorithm)).toMatch(/not AI/);
  return { result, output, taskId: submitted.body.task_id };
}

describe("uploads", () => {
  it("stores posted image bytes and answers their gs:// URI", async () => {
    const png = await testPicture(40, 30);
    const answer = await uploadImage(stack.apiUrl, stack.apiKey, png);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ bytes: png.length, content_type: "image/png" });
    expect(String(answer.body.gs_uri)).toMatch(new RegExp(`^gs://${stack.gcsBucket}/media/dev/uploads/[0-9a-f-]{36}\\.png$`));
  });

  it("hands out a signed upload URL that a task can then read from", async () => {
    const signed = await api.call<{ upload_url: string; gs_uri: string; expires_at: string; headers: Record<string, string> }>("POST", "/v1/uploads", { content_type: "image/jpeg" });
    expect(signed.status).toBe(200);
    expect(Date.parse(signed.body.expires_at)).toBeGreaterThan(Date.now());
    const jpeg = await sharp(await testPicture(64, 48)).jpeg().toBuffer();
    const put = await fetch(signed.body.upload_url, { method: "PUT", headers: signed.body.headers, body: new Uint8Array(jpeg) });
    expect(put.status).toBe(200);
    const { result } = await runToSuccess("media.style_transfer", { image: signed.body.gs_uri, style: "sepia", strength: 1 });
    expect([result.width, result.height]).toEqual([64, 48]);
  });

  it("refuses a body over the size cap with 413", async () => {
    const tooBig = Buffer.concat([await testPicture(8, 8), Buffer.alloc(10 * 1024 * 1024)]);
    const answer = await uploadImage(stack.apiUrl, stack.apiKey, tooBig);
    expect(answer.status).toBe(413);
    expect((answer.body as ErrorBody).error.details?.limit_bytes).toBe(10 * 1024 * 1024);
  });

  it("refuses other content types, and bytes that are not what their type says", async () => {
    const gif = await uploadImage(stack.apiUrl, stack.apiKey, Buffer.from("GIF89a..."), "image/gif");
    expect(gif.status).toBe(415);
    expect((gif.body as ErrorBody).error.message).toMatch(/image\/png, image\/jpeg, image\/webp/);
    const lying = await uploadImage(stack.apiUrl, stack.apiKey, Buffer.from("just text, not a png"), "image/png");
    expect(lying.status).toBe(400);
    expect((lying.body as ErrorBody).error.message).toMatch(/says image\/png but the body is not/);
    const unknownType = await api.call<ErrorBody>("POST", "/v1/uploads", { content_type: "image/gif" });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.details?.fields?.[0]?.path).toBe("content_type");
  });

  it("needs the submit scope", async () => {
    const answer = await fetch(`${stack.apiUrl}/v1/uploads`, { method: "POST", headers: { "Content-Type": "image/png" }, body: new Uint8Array(await testPicture(8, 8)) });
    expect(answer.status).toBe(401);
  });
});

describe("the five tasks, on uploaded images", () => {
  it("media.image_generation makes an image of the size asked", async () => {
    const { result, output } = await runToSuccess("media.image_generation", { prompt: "a lighthouse at dusk", width: 256, height: 192, seed: 7 });
    expect([output.width, output.height, output.format]).toEqual([256, 192, "png"]);
    expect(result.metadata.seed).toBe(7);
  });

  it("media.background_removal makes the background transparent", async () => {
    const image = await upload(await testPicture(160, 120));
    const { output, result } = await runToSuccess("media.background_removal", { image });
    expect([output.width, output.height, output.format, output.hasAlpha]).toEqual([160, 120, "png", true]);
    const { data } = await sharp(Buffer.from(await (await fetch(result.url)).arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // a corner: background
    expect(data[(60 * 160 + 56) * 4 + 3]).toBe(255); // the red disc: kept
  });

  it("media.object_removal fills a box from its surroundings", async () => {
    const image = await upload(await testPicture(160, 120));
    const { result } = await runToSuccess("media.object_removal", { image, box: { x: 95, y: 38, width: 40, height: 46 } });
    const { data } = await sharp(Buffer.from(await (await fetch(result.url)).arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    const centre = (60 * 160 + 115) * 4;
    // Where the blue square was is now background-coloured.
    expect(data[centre + 2]! - data[centre]!).toBeLessThan(30);
    expect(data[centre]!).toBeGreaterThan(200);
  });

  it("media.object_removal takes a mask instead of a box", async () => {
    const image = await upload(await testPicture(160, 120));
    const mask = await upload(await sharp({ create: { width: 160, height: 120, channels: 3, background: "#000" } }).composite([{ input: await sharp({ create: { width: 40, height: 46, channels: 3, background: "#fff" } }).png().toBuffer(), left: 95, top: 38 }]).png().toBuffer());
    const { result } = await runToSuccess("media.object_removal", { image, mask });
    expect(result.metadata.filled_pixels).toBe(40 * 46);
  });

  it("media.style_transfer redraws in a known style", async () => {
    const image = await upload(await sharp(await testPicture(120, 90)).webp().toBuffer(), "image/webp");
    const { output } = await runToSuccess("media.style_transfer", { image, style: "noir", strength: 1 });
    expect([output.width, output.height]).toEqual([120, 90]);
  });

  it("media.face_swap puts the source's face region onto the target", async () => {
    const source = await upload(await testPicture(100, 100));
    const target = await upload(await sharp(await testPicture(200, 150)).jpeg().toBuffer(), "image/jpeg");
    const { output, result } = await runToSuccess("media.face_swap", {
      source_image: source, target_image: target, face_box: { x: 10, y: 25, width: 50, height: 50 }, target_face_box: { x: 120, y: 40, width: 60, height: 60 },
    });
    expect([output.width, output.height]).toEqual([200, 150]);
    expect(result.metadata.target_box).toEqual({ x: 120, y: 40, width: 60, height: 60 });
  });

  it("accepts a small inline image, moving it to storage before queueing", async () => {
    const png = await testPicture(32, 24);
    const { taskId, output } = await runToSuccess("media.background_removal", { image: `data:image/png;base64,${png.toString("base64")}` });
    expect([output.width, output.height]).toEqual([32, 24]);
    // The bytes went to storage under the task's id at submit; the task body carried the gs:// URI.
    const stored = await fetch(`${stack.gcsUrl}/storage/v1/b/${stack.gcsBucket}/o/${encodeURIComponent(`media/dev/${taskId}/input-image.png`)}?alt=media`);
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(png);
  });
});

describe("bad inputs", () => {
  const refused = async (type: string, payload: unknown) => {
    const answer = await api.call<ErrorBody>("POST", "/v1/tasks", { type, payload });
    const fields = answer.body.error.details?.fields ?? [];
    return { status: answer.status, error: answer.body.error, paths: fields.map((f) => f.path), messages: fields.map((f) => `${f.path}: ${f.message}`).join("; ") };
  };

  it("names payload.width for a size that is not a multiple of 8, or out of range", async () => {
    const odd = await refused("media.image_generation", { prompt: "x", width: 500, height: 512 });
    expect(odd.status).toBe(400);
    expect(odd.paths).toEqual(["payload.width"]);
    expect(odd.messages).toBe("payload.width: must be a multiple of 8");
    expect((await refused("media.image_generation", { prompt: "x", width: 4096, height: 512 })).paths).toEqual(["payload.width"]);
  });

  it("names a field of the wrong type", async () => {
    const wrong = await refused("media.image_generation", { prompt: "x", width: "512", height: 512 });
    expect(wrong.status).toBe(400);
    expect(wrong.paths).toEqual(["payload.width"]);
  });

  it("names an unknown style and lists the known ones", async () => {
    const image = await upload(await testPicture(16, 16));
    const unknown = await refused("media.style_transfer", { image, style: "van_gogh" });
    expect(unknown.status).toBe(400);
    expect(unknown.paths).toEqual(["payload.style"]);
    expect(unknown.messages).toMatch(/payload\.style: .*"sepia"\|"noir"/);
  });

  it("asks for exactly one of mask and box", async () => {
    const image = await upload(await testPicture(16, 16));
    expect((await refused("media.object_removal", { image })).paths).toEqual(["payload.mask"]);
    expect((await refused("media.object_removal", { image, mask: image, box: { x: 0, y: 0, width: 1, height: 1 } })).paths).toEqual(["payload.box"]);
  });

  it.each([
    "https://127.0.0.1/cat.png",
    "https://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token",
    "https://localhost:8443/cat.png",
    "https://[::1]/cat.png",
    "http://example.com/cat.png",
  ])("refuses the URL %s at submit, naming the field", async (url) => {
    const answer = await refused("media.background_removal", { image: url });
    expect(answer.status).toBe(400);
    expect(answer.paths).toEqual(["payload.image"]);
    expect(answer.error.message).toMatch(/will not be fetched/);
  });

  it("answers 413 naming the field for an inline image over the cap", async () => {
    const big = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(256 * 1024);
    const answer = await refused("media.background_removal", { image: `data:image/png;base64,${big.toString("base64")}` });
    expect(answer.status).toBe(413);
    expect(answer.error.details?.field).toBe("payload.image");
    expect(answer.error.message).toMatch(/POST \/v1\/uploads/);
  });

  it("refuses gs:// inputs outside the caller's media/<tenant>/ objects (as absent), or missing", async () => {
    expect((await refused("media.background_removal", { image: "gs://someone-elses-bucket/media/x.png" })).error.message).toMatch(/platform's bucket/);
    expect((await refused("media.background_removal", { image: `gs://${stack.gcsBucket}/tts/x.mp3` })).error.message).toMatch(/does not exist/);
    expect((await refused("media.background_removal", { image: `gs://${stack.gcsBucket}/media/uploads/none.png` })).error.message).toMatch(/does not exist/);
  });

  it("fails for good, at execution, when the mask is not the image's size", async () => {
    const image = await upload(await testPicture(64, 48));
    const mask = await upload(await testPicture(32, 24));
    const { body } = await api.submit("media.object_removal", { image, mask });
    const final = await waitForEnd(api, body.task_id);
    expect(final.status).toBe("FAILURE");
    expect(final.attempts).toBe(1);
    expect(final.error).toEqual({ type: "NonRetryableError", message: "payload.mask is 32×24 but payload.image is 64×48; they must be the same size" });
  });
});
