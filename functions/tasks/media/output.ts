import { z } from "zod";
import { ImageFormat } from "./imaging.ts";

/** What every media task returns: where the output is, and what it is. */
export const mediaOutput = z.object({
  /** Signed read URL (SIGNED_URL_SECONDS, default one hour, like the result itself). */
  url: z.string(),
  gcs_uri: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  format: z.enum(ImageFormat),
  bytes: z.number().int().positive(),
  /** "local" (sharp, not AI) or "http" (the configured provider). */
  provider: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type MediaOutput = z.infer<typeof mediaOutput>;
