// media.face_swap: the face of one image onto the face of another.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { imageRef, pixelBox } from "./image-ref.ts";
import { mediaOutput } from "./output.ts";
import { prepareImages } from "./prepare-images.ts";
import { checkBoxInside, loadImage } from "./load-image.ts";
import { runMediaJob } from "./store-output.ts";
import { MEDIA_RESULT_TTL_SECONDS, gpuTimeLimit, mediaRetry } from "./limits.ts";
import { mediaUses } from "./ports.ts";

export const faceSwapInput = z.strictObject({
  source_image: imageRef.describe("the image whose face is used"),
  target_image: imageRef.describe("the image whose face is replaced"),
  face_box: pixelBox.optional().describe("the face in source_image, pixels; default: detected by the provider (the local one takes the centre)"),
  target_face_box: pixelBox.optional().describe("where the face goes in target_image, pixels; default: detected, or face_box's place scaled"),
});

export const faceSwap = defineTask({
  name: "media.face_swap",
  queue: "media-gpu",
  uses: mediaUses,
  description: "Put the face of source_image onto target_image",
  input: faceSwapInput,
  output: mediaOutput,
  retry: mediaRetry,
  timeLimit: gpuTimeLimit,
  resultTtlSeconds: MEDIA_RESULT_TTL_SECONDS,
  prepare: prepareImages(["source_image", "target_image"]),
  handler: (input, ctx) =>
    runMediaJob(
      ctx,
      async () => {
        const [source, target] = await Promise.all([loadImage(ctx, "source_image", input.source_image), loadImage(ctx, "target_image", input.target_image)]);
        if (input.face_box) checkBoxInside("face_box", input.face_box, source, "source_image");
        if (input.target_face_box) checkBoxInside("target_face_box", input.target_face_box, target, "target_image");
        return { source, target };
      },
      ({ source, target }) =>
        ctx.imaging.swapFace(
          { source, target, ...(input.face_box ? { faceBox: input.face_box } : {}), ...(input.target_face_box ? { targetBox: input.target_face_box } : {}) },
          ctx.signal,
        ),
    ),
});
