// The cleanup domain's stores: cache namespaces and conversations in Redis.
import { port } from "../../core/task-kit.ts";

/** Sweeps of the cache namespaces in Redis: `<prefix>:cache:<namespace>:<key>` (see docs/users-and-cleanup.md). */
export interface CacheSweeper {
  /**
   * One SCAN page over every cache namespace but `query`: entries whose `created_at` is older than
   * `maxAgeMs` (default: the deployment's CACHE_MAX_AGE_SECONDS) go; entries left without a TTL get one
   * (what remains of `maxAgeMs`). Cursor "0" starts, null when done.
   */
  sweepCachePage(cursor: string, options: { count: number; now: number; maxAgeMs?: number }): Promise<{ cursor: string | null; scanned: number; removed: number; ttlGiven: number }>;
  /** One SCAN page over `cache:query:*`: entries created before `before` go, and entries without the layout and without a TTL. */
  sweepQueryCachePage(cursor: string, options: { count: number; before: number }): Promise<{ cursor: string | null; scanned: number; removed: number; malformed: number }>;
}

/** A conversation as stored in Redis (`<prefix>:conversation:<id>`, JSON with `updated_at`), read for archiving. */
export interface StoredConversation {
  id: string;
  updatedAt: number;
  /** The stored JSON text, as it is. */
  json: string;
  /** Identifies this exact version: deletion happens only if the stored text is still this one. */
  fingerprint: string;
}

/** Conversations kept in Redis, for archiving. */
export interface ConversationStore {
  /** One SCAN page: the conversations last updated before `before`; unreadable ones are counted, never returned. */
  stalePage(cursor: string, options: { count: number; before: number }): Promise<{ cursor: string | null; scanned: number; unreadable: number; stale: StoredConversation[] }>;
  /** Deletes the conversations still holding the version read (one written to since stays); returns how many went. */
  deleteUnchanged(conversations: Pick<StoredConversation, "id" | "fingerprint">[]): Promise<number>;
}


export const caches = port<CacheSweeper>("caches");
export const conversations = port<ConversationStore>("conversations");
