// cleanup.conversations against in-memory ports: a batch is deleted only after
// its archive part is written and confirmed.
import { beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { MemoryBlobStore } from "../../../test/helpers/memory-ports.ts";
import { testContext } from "../../core/testing/task-context.ts";
import type { ConversationStore, StoredConversation } from "./ports.ts";
import { cleanupConversations } from "./conversations.ts";

const DAY = 24 * 3600 * 1000;

/** Conversations in a map; pages of two in key order, the cursor the last key seen (stable under deletes, as SCAN is). */
class MemoryConversations implements ConversationStore {
  readonly stored = new Map<string, string>();
  deleteCalls = 0;
  async stalePage(cursor: string, options: { count: number; before: number }) {
    const ids = [...this.stored.keys()].sort().filter((id) => cursor === "0" || id > cursor);
    const page = ids.slice(0, 2);
    const stale: StoredConversation[] = [];
    let unreadable = 0;
    for (const id of page) {
      const json = this.stored.get(id)!;
      let updatedAt: number;
      try {
        updatedAt = (JSON.parse(json) as { updated_at: number }).updated_at;
      } catch {
        unreadable += 1;
        continue;
      }
      if (updatedAt < options.before) stale.push({ id, updatedAt, json, fingerprint: createHash("sha1").update(json).digest("hex") });
    }
    return { cursor: ids.length > 2 ? page.at(-1)! : null, scanned: page.length, unreadable, stale };
  }
  async deleteUnchanged(conversations: Pick<StoredConversation, "id" | "fingerprint">[]) {
    this.deleteCalls += 1;
    let deleted = 0;
    for (const c of conversations) {
      const json = this.stored.get(c.id);
      if (json && createHash("sha1").update(json).digest("hex") === c.fingerprint) {
        this.stored.delete(c.id);
        deleted += 1;
      }
    }
    return deleted;
  }
}

let conversations: MemoryConversations;
let blobs: MemoryBlobStore;

beforeEach(() => {
  conversations = new MemoryConversations();
  blobs = new MemoryBlobStore();
  const now = Date.now();
  for (let i = 0; i < 5; i += 1) conversations.stored.set(`old-${i}`, JSON.stringify({ updated_at: now - 100 * DAY, messages: [{ role: "user", text: `hỏi ${i}` }] }));
  conversations.stored.set("recent", JSON.stringify({ updated_at: now - DAY, messages: [] }));
  conversations.stored.set("broken", "{not json");
});

function context() {
  return testContext(cleanupConversations, { blobs, conversations }, { taskId: "t1" }).ctx;
}

const run = () => cleanupConversations.handler(cleanupConversations.input.parse({ days: 90 }), context());

describe("cleanup.conversations", () => {
  it("archives stale conversations as JSON lines, then deletes them; recent and unreadable ones stay", async () => {
    const result = await run();
    expect(result).toMatchObject({ scanned: 7, archived: 5, removed: 5, unreadable: 1, continued_as: null });
    expect([...conversations.stored.keys()].sort()).toEqual(["broken", "recent"]);
    const lines = [...blobs.objects.values()].flatMap((o) => o.data.toString("utf8").trim().split("\n")).map((l) => JSON.parse(l) as { conversation_id: string; conversation: { messages: unknown[] } });
    expect(lines.map((l) => l.conversation_id).sort()).toEqual(["old-0", "old-1", "old-2", "old-3", "old-4"]);
    expect(lines.find((l) => l.conversation_id === "old-2")!.conversation.messages).toEqual([{ role: "user", text: "hỏi 2" }]);
    expect([...blobs.objects.keys()].every((p) => /^archive\/conversations\/\d{4}-\d{2}-\d{2}\/part-\d{5}-[0-9a-f]{12}\.jsonl$/.test(p))).toBe(true);
    expect(result.parts).toBe(blobs.objects.size);
    expect(result.part_uris).toHaveLength(blobs.objects.size);
  });

  it("deletes nothing when the archive cannot be written", async () => {
    blobs.put = async () => {
      throw new Error("cloud-storage: unavailable");
    };
    await expect(run()).rejects.toThrow(/unavailable/);
    expect(conversations.stored.size).toBe(7);
    expect(conversations.deleteCalls).toBe(0);
  });

  it("deletes nothing when the written part cannot be confirmed", async () => {
    const put = blobs.put.bind(blobs);
    blobs.put = async (path, data, options) => put(path, data.subarray(0, data.length - 1), options);
    await expect(run()).rejects.toThrow(/not confirmed/);
    expect(conversations.stored.size).toBe(7);
  });

  it("never writes two runs' parts to the same object", async () => {
    await run();
    const first = new Set(blobs.objects.keys());
    for (let i = 0; i < 5; i += 1) conversations.stored.set(`old-${i}`, JSON.stringify({ updated_at: 1, messages: [] }));
    await run();
    expect(blobs.objects.size).toBeGreaterThan(first.size);
    for (const path of first) expect(blobs.objects.has(path)).toBe(true);
  });

  it("past its time budget, continues as a new cleanup.conversations from its cursor, with its counts", async () => {
    const handover = testContext(cleanupConversations, { blobs, conversations }, { taskId: "t1" });
    const result = await cleanupConversations.handler(cleanupConversations.input.parse({ days: 90, budget_seconds: 0 }), handover.ctx);
    expect(result.continued_as).toBe("child-1");
    expect(handover.enqueued).toEqual([{
      type: "cleanup.conversations",
      idempotencyKey: "continuation",
      payload: expect.objectContaining({ days: 90, resume: expect.objectContaining({ batches: 1, cursor: expect.any(String) }) }),
    }]);
  });
});
