// KeyValueStore on Upstash Redis: JSON values under "<prefix>:kv:".
import type { Redis } from "@upstash/redis";
import type { KeyValueStore } from "../../core/ports.ts";
import { asDependencyError } from "./run-script.ts";

export type KvRedis = Pick<Redis, "get" | "set" | "del" | "incrby" | "expire" | "sadd" | "spop" | "scard" | "scan" | "ttl" | "pipeline">;

export class RedisKeyValueStore implements KeyValueStore {
  readonly #redis: KvRedis;
  readonly #prefix: string;

  constructor(redis: KvRedis, prefix: string) {
    this.#redis = redis;
    this.#prefix = `${prefix}:kv:`;
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  async get<T = unknown>(key: string): Promise<T | null> {
    // Values are written as JSON text; the client parses it back on the way out.
    const value = await this.#call(() => this.#redis.get<T>(this.#key(key)));
    return value ?? null;
  }

  async set(key: string, value: unknown, options: { ttlSeconds?: number; onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const args = {
      ...(options.ttlSeconds ? { ex: Math.max(1, Math.ceil(options.ttlSeconds)) } : {}),
      ...(options.onlyIfAbsent ? { nx: true as const } : {}),
    } as Parameters<Redis["set"]>[2];
    const answer = await this.#call(() => this.#redis.set(this.#key(key), JSON.stringify(value), args));
    return answer === "OK" || answer === ("T" as unknown);
  }

  async delete(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return Number(await this.#call(() => this.#redis.del(...keys.map((k) => this.#key(k)))));
  }

  async increment(key: string, by = 1, ttlSeconds?: number): Promise<number> {
    const value = Number(await this.#call(() => this.#redis.incrby(this.#key(key), by)));
    if (ttlSeconds && value === by) await this.#call(() => this.#redis.expire(this.#key(key), ttlSeconds));
    return value;
  }

  async addToSet(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return 0;
    const [first, ...rest] = members as [string, ...string[]];
    return Number(await this.#call(() => this.#redis.sadd(this.#key(key), first, ...rest)));
  }

  async popFromSet(key: string, count: number): Promise<string[]> {
    const popped = await this.#call(() => this.#redis.spop<string[]>(this.#key(key), count));
    if (!popped) return [];
    return (Array.isArray(popped) ? popped : [popped]).map(String);
  }

  async setSize(key: string): Promise<number> {
    return Number(await this.#call(() => this.#redis.scard(this.#key(key))));
  }

  async scan(match: string, cursor: string, count = 500): Promise<{ cursor: string; keys: string[] }> {
    const [next, keys] = await this.#call(() => this.#redis.scan(cursor, { match: this.#key(match), count }));
    return { cursor: String(next), keys: (keys as string[]).map((k) => k.slice(this.#prefix.length)) };
  }

  async ttl(key: string): Promise<number> {
    return Number(await this.#call(() => this.#redis.ttl(this.#key(key))));
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asDependencyError(error);
    }
  }
}
