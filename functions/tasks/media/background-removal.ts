// media.background_removal: the background made transparent (PNG with alpha).
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { imageRef } from "./image-ref.ts";
import { mediaOutput } from "./output.ts";
import { prepareImages } from "./prepare-images.ts";
import { loadImage } from "./load-image.ts";
import { runMediaJob } from "./store-output.ts";
import { MEDIA_RESULT_TTL_SECONDS, cpuTimeLimit, mediaRetry } from "./limits.ts";
import { mediaUses } from "./ports.ts";

export const backgroundRemovalInput = z.strictObject({
  image: imageRef,
});

export const backgroundRemoval = defineTask({
  name: "media.background_removal",
  queue: "media-cpu",
  uses: mediaUses,
  description: "Make the background of an image transparent",
  input: backgroundRemovalInput,
  output: mediaOutput,
  retry: mediaRetry,
  timeLimit: cpuTimeLimit,
  resultTtlSeconds: MEDIA_RESULT_TTL_SECONDS,
  prepare: prepareImages(["image"]),
  handler: (input, ctx) =>
    runMediaJob(
      ctx,
      () => loadImage(ctx, "image", input.image),
      (image) => ctx.imaging.removeBackground({ image }, ctx.signal),
    ),
});
