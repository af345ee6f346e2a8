// The collection's watermark: the newest source change synced, where the next
// incremental sync (sync.embeddings) starts. It only moves forward.
import type { KeyValueStore } from "../../core/task-kit.ts";
import { syncKeys } from "./keys.ts";
import { newest } from "./paged-sync.ts";

export async function readWatermark(kv: KeyValueStore, collection: string): Promise<string | null> {
  return kv.get<string>(syncKeys.watermark(collection));
}

/** Moves the watermark to `seen` when that is later, and returns the watermark now. */
export async function advanceWatermark(kv: KeyValueStore, collection: string, seen: string | null): Promise<string | null> {
  const current = await readWatermark(kv, collection);
  const next = newest(current, seen);
  // Two syncs finishing at once may both write; each writes a time it did sync up to, so neither loses a change.
  if (next !== current) await kv.set(syncKeys.watermark(collection), next);
  return next;
}
