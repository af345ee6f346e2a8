// ConversationStore on Upstash Redis: conversations are JSON strings at
// `<prefix>:conversation:<id>` holding at least `updated_at` (ms, or ISO 8601).
import { createHash } from "node:crypto";
import type { Redis } from "@upstash/redis";
import type { ConversationStore, StoredConversation } from "../../tasks/cleanup/ports.ts";
import { asDependencyError, runScript } from "./run-script.ts";
import { deleteUnchangedScript } from "./maintenance-scripts.ts";
import { maintenanceKeys } from "./user-keys.ts";

/** A raw client (automaticDeserialization off): MGET answers the stored text. */
export type ConversationRedis = Pick<Redis, "evalsha" | "eval" | "scan" | "mget">;

export class RedisConversationStore implements ConversationStore {
  readonly #redis: ConversationRedis;
  readonly #keys: ReturnType<typeof maintenanceKeys>;

  constructor(redis: ConversationRedis, prefix: string) {
    this.#redis = redis;
    this.#keys = maintenanceKeys(prefix);
  }

  async stalePage(cursor: string, options: { count: number; before: number }) {
    const [next, keys] = await this.#call(() => this.#redis.scan(cursor, { match: this.#keys.conversationPattern, count: options.count }));
    // MGET answers null for a key that vanished or is not a string.
    const values = keys.length > 0 ? await this.#call(() => this.#redis.mget<(string | null)[]>(...keys)) : [];
    const stale: StoredConversation[] = [];
    let unreadable = 0;
    keys.forEach((key, i) => {
      const json = values[i];
      const updatedAt = json ? updatedAtOf(json) : null;
      if (updatedAt === null) {
        if (json !== null) unreadable += 1;
        return;
      }
      if (updatedAt < options.before) {
        stale.push({ id: key.slice(this.#keys.conversationPrefix.length), updatedAt, json: json!, fingerprint: sha1(json!) });
      }
    });
    return { cursor: String(next) === "0" ? null : String(next), scanned: keys.length, unreadable, stale };
  }

  async deleteUnchanged(conversations: Pick<StoredConversation, "id" | "fingerprint">[]): Promise<number> {
    if (conversations.length === 0) return 0;
    const keys = conversations.map((c) => this.#keys.conversationPrefix + c.id);
    return Number(await runScript<number>(this.#redis, deleteUnchangedScript, keys, conversations.map((c) => c.fingerprint)));
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asDependencyError(error);
    }
  }
}

/** Same digest as Lua's redis.sha1hex over the same UTF-8 text. */
const sha1 = (text: string) => createHash("sha1").update(text, "utf8").digest("hex");

function updatedAtOf(json: string): number | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const updatedAt = (value as { updated_at?: unknown }).updated_at;
  if (typeof updatedAt === "number" && Number.isFinite(updatedAt)) return updatedAt;
  if (typeof updatedAt === "string") {
    const ms = Date.parse(updatedAt);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
