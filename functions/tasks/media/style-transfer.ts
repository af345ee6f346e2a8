// media.style_transfer: an image redrawn in one of the known styles.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { ImageStyle } from "./imaging.ts";
import { imageRef } from "./image-ref.ts";
import { mediaOutput } from "./output.ts";
import { prepareImages } from "./prepare-images.ts";
import { loadImage } from "./load-image.ts";
import { runMediaJob } from "./store-output.ts";
import { MEDIA_RESULT_TTL_SECONDS, gpuTimeLimit, mediaRetry } from "./limits.ts";
import { mediaUses } from "./ports.ts";

export const styleTransferInput = z.strictObject({
  image: imageRef,
  style: z.enum(ImageStyle),
  strength: z.number().min(0).max(1).default(0.8).describe("0 keeps the image, 1 applies the style fully"),
});

export const styleTransfer = defineTask({
  name: "media.style_transfer",
  queue: "media-gpu",
  uses: mediaUses,
  description: `Redraw an image in a style: ${ImageStyle.join(", ")}`,
  input: styleTransferInput,
  output: mediaOutput,
  retry: mediaRetry,
  timeLimit: gpuTimeLimit,
  resultTtlSeconds: MEDIA_RESULT_TTL_SECONDS,
  prepare: prepareImages(["image"]),
  handler: (input, ctx) =>
    runMediaJob(
      ctx,
      () => loadImage(ctx, "image", input.image),
      (image) => ctx.imaging.transferStyle({ image, style: input.style, strength: input.strength }, ctx.signal),
    ),
});
