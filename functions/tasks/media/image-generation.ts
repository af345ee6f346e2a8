// media.image_generation: text to image.
import { createHash } from "node:crypto";
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { mediaOutput } from "./output.ts";
import { runMediaJob } from "./store-output.ts";
import { MEDIA_RESULT_TTL_SECONDS, gpuTimeLimit, mediaRetry } from "./limits.ts";
import { mediaUses } from "./ports.ts";

const GENERATION_SIZE = { min: 64, max: 2048, multiple: 8 } as const;

const side = z
  .number()
  .int()
  .min(GENERATION_SIZE.min)
  .max(GENERATION_SIZE.max)
  .refine((n) => n % GENERATION_SIZE.multiple === 0, { message: `must be a multiple of ${GENERATION_SIZE.multiple}` });

export const imageGenerationInput = z.strictObject({
  prompt: z.string().trim().min(1).max(2000),
  negative_prompt: z.string().max(2000).optional(),
  width: side.describe(`pixels, ${GENERATION_SIZE.min}–${GENERATION_SIZE.max}, a multiple of ${GENERATION_SIZE.multiple}`),
  height: side.describe(`pixels, ${GENERATION_SIZE.min}–${GENERATION_SIZE.max}, a multiple of ${GENERATION_SIZE.multiple}`),
  seed: z.number().int().min(0).max(4_294_967_295).optional().describe("same prompt and seed, same image; default derived from the task id"),
  steps: z.number().int().min(1).max(150).default(30),
});

export const imageGeneration = defineTask({
  name: "media.image_generation",
  queue: "media-gpu",
  uses: mediaUses,
  description: "Generate an image from a text prompt",
  input: imageGenerationInput,
  output: mediaOutput,
  retry: mediaRetry,
  timeLimit: gpuTimeLimit,
  resultTtlSeconds: MEDIA_RESULT_TTL_SECONDS,
  handler: (input, ctx) =>
    runMediaJob(
      ctx,
      async () => ({ seed: input.seed ?? createHash("sha256").update(ctx.taskId).digest().readUInt32BE(0) }),
      ({ seed }) =>
        ctx.imaging.generate(
          { prompt: input.prompt, ...(input.negative_prompt ? { negativePrompt: input.negative_prompt } : {}), width: input.width, height: input.height, seed, steps: input.steps },
          ctx.signal,
        ),
    ),
});
