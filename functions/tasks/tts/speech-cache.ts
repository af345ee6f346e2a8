// Identical requests reuse stored audio: the request's content hash names a
// Redis entry that points at the MP3 in Cloud Storage. The object carries the
// key in its metadata, so tts.cleanup_audio can drop the entry with the object.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { BlobStore, KeyValueStore } from "../../core/task-kit.ts";
import type { SpeechRequest } from "./ports.ts";

/** How long an entry lives: as long as the audio does under the daily cleanup. */
export const CACHE_TTL_SECONDS = 24 * 3600;

const cacheEntry = z.object({
  path: z.string().min(1),
  duration_seconds: z.number().positive(),
  bytes: z.number().int().positive(),
  voice: z.string(),
});
export type CacheEntry = z.infer<typeof cacheEntry>;

/** "tts:cache:<sha256>" over everything that changes the audio. */
export function cacheKey(request: SpeechRequest): string {
  const identity = JSON.stringify([request.text, request.voice, request.rate, request.pitch, request.volume, request.format]);
  return `tts:cache:${createHash("sha256").update(identity).digest("hex")}`;
}

/** The entry, if it still points at an existing object; a stale entry is dropped. */
export async function findCached(ports: { kv: KeyValueStore; blobs: BlobStore }, key: string): Promise<CacheEntry | null> {
  const parsed = cacheEntry.safeParse(await ports.kv.get(key));
  if (!parsed.success) return null;
  if (await ports.blobs.stat(parsed.data.path)) return parsed.data;
  await ports.kv.delete(key);
  return null;
}

/** Drops the entry only while it still points at `path` (a newer synthesis may own the key now). */
export async function forgetCached(kv: KeyValueStore, key: string, path: string): Promise<boolean> {
  const parsed = cacheEntry.safeParse(await kv.get(key));
  if (!parsed.success || parsed.data.path !== path) return false;
  return (await kv.delete(key)) > 0;
}
