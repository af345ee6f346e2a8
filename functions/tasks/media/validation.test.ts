// What a media submit must get right before anything is queued: each task's
// fields, sizes, ranges, styles and cross-field rules, with the field named.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { imageGenerationInput } from "./image-generation.ts";
import { faceSwapInput } from "./face-swap.ts";
import { backgroundRemovalInput } from "./background-removal.ts";
import { objectRemovalInput } from "./object-removal.ts";
import { styleTransferInput } from "./style-transfer.ts";
import { parseImageRef, sniffImageType } from "./image-ref.ts";

const paths = (schema: z.ZodType, value: unknown): string[] => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
};
const messages = (schema: z.ZodType, value: unknown): string =>
  (schema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

const image = "gs://tasks-local/media/uploads/a.png";

describe("media.image_generation input", () => {
  const valid = { prompt: "a lighthouse at dusk", width: 512, height: 768 };

  it("accepts a prompt and a size, defaulting steps", () => {
    const parsed = imageGenerationInput.parse(valid);
    expect(parsed.steps).toBe(30);
    expect(parsed.seed).toBeUndefined();
  });

  it.each([
    [{ ...valid, width: 500 }, "width", /multiple of 8/],
    [{ ...valid, height: 56 }, "height", />=64/],
    [{ ...valid, width: 2056 }, "width", /<=2048/],
    [{ ...valid, width: "512" }, "width", /expected number/],
    [{ ...valid, width: 512.5 }, "width", /expected int/],
    [{ ...valid, steps: 0 }, "steps", />=1/],
    [{ ...valid, steps: 151 }, "steps", /<=150/],
    [{ ...valid, seed: -1 }, "seed", />=0/],
    [{ ...valid, prompt: "   " }, "prompt", />=1/],
    [{ width: 512, height: 512 }, "prompt", /expected string/],
    [{ ...valid, style: "x" }, "", /Unrecognized key/],
  ])("refuses %j at %s", (input, path, message) => {
    expect(paths(imageGenerationInput, input)).toContain(path);
    expect(messages(imageGenerationInput, input)).toMatch(message);
  });
});

describe("media.style_transfer input", () => {
  it("knows its styles and defaults strength", () => {
    expect(styleTransferInput.parse({ image, style: "sepia" }).strength).toBe(0.8);
  });

  it("names the unknown style and lists the known ones", () => {
    expect(paths(styleTransferInput, { image, style: "van_gogh" })).toEqual(["style"]);
    expect(messages(styleTransferInput, { image, style: "van_gogh" })).toMatch(/sepia.*noir.*sketch/);
  });

  it("keeps strength within 0–1", () => {
    expect(paths(styleTransferInput, { image, style: "noir", strength: 1.5 })).toEqual(["strength"]);
    expect(paths(styleTransferInput, { image, style: "noir", strength: -0.1 })).toEqual(["strength"]);
    expect(paths(styleTransferInput, { image, style: "noir", strength: 0 })).toEqual([]);
  });
});

describe("media.object_removal input", () => {
  const box = { x: 10, y: 20, width: 30, height: 40 };

  it("takes exactly one of mask and box", () => {
    expect(paths(objectRemovalInput, { image, box })).toEqual([]);
    expect(paths(objectRemovalInput, { image, mask: image })).toEqual([]);
    expect(paths(objectRemovalInput, { image })).toEqual(["mask"]);
    expect(paths(objectRemovalInput, { image, mask: image, box })).toEqual(["box"]);
  });

  it("keeps boxes in sane ranges", () => {
    expect(paths(objectRemovalInput, { image, box: { ...box, width: 0 } })).toEqual(["box.width"]);
    expect(paths(objectRemovalInput, { image, box: { ...box, x: -1 } })).toEqual(["box.x"]);
    expect(paths(objectRemovalInput, { image, box: { ...box, y: 1.5 } })).toEqual(["box.y"]);
    expect(paths(objectRemovalInput, { image, box: { ...box, height: 20_000 } })).toEqual(["box.height"]);
  });
});

describe("media.face_swap and media.background_removal inputs", () => {
  it("require their images", () => {
    expect(paths(faceSwapInput, { source_image: image })).toEqual(["target_image"]);
    expect(paths(backgroundRemovalInput, {})).toEqual(["image"]);
    expect(paths(faceSwapInput, { source_image: image, target_image: image, face_box: { x: 0, y: 0, width: 5, height: 5 } })).toEqual([]);
  });

  it.each([
    ["ftp://example.com/a.png", /ftp:\/\/ is not accepted/],
    ["file:///etc/passwd", /file:\/\/ is not accepted/],
    ["gs://bucket-only", /must name a bucket and an object/],
    ["just text", /must be an https:\/\/ URL/],
    ["data:image/png;base64,@@@", /not valid base64/],
    ["data:image/gif;base64,R0lGOD", /image\/png, image\/jpeg or image\/webp/],
    ["https://user:pw@example.com/a.png", /credentials/],
  ])("refuses the image %s", (value, message) => {
    expect(paths(backgroundRemovalInput, { image: value })).toEqual(["image"]);
    expect(messages(backgroundRemovalInput, { image: value })).toMatch(message);
  });
});

describe("image references", () => {
  it("tells the three kinds apart", () => {
    expect(parseImageRef("https://example.com/a.png")).toMatchObject({ kind: "url" });
    expect(parseImageRef("gs://b/media/x.png")).toEqual({ kind: "gcs", bucket: "b", path: "media/x.png" });
    expect(parseImageRef("data:image/png;base64,iVBO Rw==")).toEqual({ kind: "inline", contentType: "image/png", base64: "iVBORw==" });
  });

  it("sniffs png, jpeg and webp from their first bytes", () => {
    expect(sniffImageType(Buffer.from("89504e470d0a1a0a0000", "hex"))).toBe("image/png");
    expect(sniffImageType(Buffer.from("ffd8ffe000", "hex"))).toBe("image/jpeg");
    expect(sniffImageType(Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBPVP8 ")]))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("GIF89a"))).toBeNull();
  });
});
