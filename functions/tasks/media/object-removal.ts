// media.object_removal: a region (mask or box) removed and filled from its surroundings.
import { z } from "zod";
import { NonRetryableError, defineTask } from "../../core/task-kit.ts";
import { imageRef, pixelBox } from "./image-ref.ts";
import { mediaOutput } from "./output.ts";
import { prepareImages } from "./prepare-images.ts";
import { checkBoxInside, loadImage } from "./load-image.ts";
import { runMediaJob } from "./store-output.ts";
import { MEDIA_RESULT_TTL_SECONDS, cpuTimeLimit, mediaRetry } from "./limits.ts";
import { mediaUses } from "./ports.ts";

export const objectRemovalInput = z
  .strictObject({
    image: imageRef,
    mask: imageRef.optional().describe("same size as image; white marks what to remove"),
    box: pixelBox.optional().describe("the region to remove, pixels of image"),
  })
  .superRefine((input, ctx) => {
    if (input.mask !== undefined && input.box !== undefined) ctx.addIssue({ code: "custom", path: ["box"], message: "give mask or box, not both" });
    if (input.mask === undefined && input.box === undefined) ctx.addIssue({ code: "custom", path: ["mask"], message: "give a mask image or a box" });
  });

export const objectRemoval = defineTask({
  name: "media.object_removal",
  queue: "media-cpu",
  uses: mediaUses,
  description: "Remove what a mask or box marks, filling it from the surroundings",
  input: objectRemovalInput,
  output: mediaOutput,
  retry: mediaRetry,
  timeLimit: cpuTimeLimit,
  resultTtlSeconds: MEDIA_RESULT_TTL_SECONDS,
  prepare: prepareImages(["image", "mask"]),
  handler: (input, ctx) =>
    runMediaJob(
      ctx,
      async () => {
        const [image, mask] = await Promise.all([loadImage(ctx, "image", input.image), input.mask ? loadImage(ctx, "mask", input.mask) : undefined]);
        if (mask && (mask.info.width !== image.info.width || mask.info.height !== image.info.height)) {
          throw new NonRetryableError(
            `payload.mask is ${mask.info.width}×${mask.info.height} but payload.image is ${image.info.width}×${image.info.height}; they must be the same size`,
          );
        }
        if (input.box) checkBoxInside("box", input.box, image, "image");
        return { image, mask };
      },
      ({ image, mask }) => ctx.imaging.removeObject({ image, ...(mask ? { mask } : {}), ...(input.box ? { box: input.box } : {}) }, ctx.signal),
    ),
});
