// tts.cleanup_audio: deletes audio under tts/ older than max_age_hours, page by
// page, with the cache entries that point at it (the source note's
// cleanup_old_audio). Scheduled daily in functions/schedules.ts.
import { z } from "zod";
import { blobs, defineTask, kv } from "../../core/task-kit.ts";
import { forgetCached } from "./speech-cache.ts";

const PREFIX = "tts/";

export const cleanupAudio = defineTask({
  name: "tts.cleanup_audio",
  queue: "tts",
  uses: { blobs, kv },
  description: "Delete TTS audio older than max_age_hours, and its cache entries",
  input: z.strictObject({
    max_age_hours: z.number().min(0).max(24 * 365).default(24),
    /** Objects listed per Cloud Storage request. */
    page_size: z.number().int().min(1).max(1000).default(500),
  }),
  output: z.object({
    scanned: z.number().int(),
    deleted: z.number().int(),
    cache_entries_deleted: z.number().int(),
  }),
  retry: { maxAttempts: 3, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
  timeLimit: { softSeconds: 540, hardSeconds: 600 },
  handler: async (input, ctx) => {
    const cutoff = Date.now() - input.max_age_hours * 3600 * 1000;
    let scanned = 0;
    let deleted = 0;
    let cacheEntriesDeleted = 0;
    let pages = 0;
    let pageToken: string | null = null;
    do {
      ctx.signal.throwIfAborted();
      const page: Awaited<ReturnType<typeof ctx.blobs.list>> = await ctx.blobs.list(PREFIX, { pageSize: input.page_size, ...(pageToken ? { pageToken } : {}) });
      for (const object of page.items) {
        scanned += 1;
        if (object.updated.getTime() >= cutoff) continue;
        // The entry first: between the two deletes, no request is served a URL to a vanishing object.
        const key = object.metadata.cache_key;
        if (key?.startsWith("tts:cache:") && (await forgetCached(ctx.kv, key, object.path))) cacheEntriesDeleted += 1;
        if (await ctx.blobs.delete(object.path)) deleted += 1;
      }
      pageToken = page.nextPageToken;
      pages += 1;
      // The total is unknown up front: each page moves the bar a little.
      await ctx.progress(Math.min(95, pages * 5), `scanned ${scanned}, deleted ${deleted}`);
    } while (pageToken);
    ctx.log.info({ scanned, deleted, cacheEntriesDeleted }, "tts audio cleaned up");
    return { scanned, deleted, cache_entries_deleted: cacheEntriesDeleted };
  },
});
