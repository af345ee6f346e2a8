// What the api asks of the sync domain outside a task (functions/api/routes/sync.ts):
// queue a document for the next sync.process_queue, and search the synced vectors.
import { kv, type UsedPorts } from "../../core/task-kit.ts";
import { embedder, vectors, type VectorMatch } from "./ports.ts";
import { syncKeys } from "./keys.ts";

export const syncServiceUses = { kv, vectors, embedder };
type SyncServicePorts = UsedPorts<typeof syncServiceUses>;

/** Adds the id to the collection's (default: QDRANT_COLLECTION) pending set; alreadyQueued when it was there. */
export async function queueDocument(ports: Pick<SyncServicePorts, "kv" | "vectors">, id: string, collection?: string): Promise<{ collection: string; alreadyQueued: boolean }> {
  const target = collection ?? ports.vectors.defaultCollection;
  const added = await ports.kv.addToSet(syncKeys.pending(target), id);
  return { collection: target, alreadyQueued: added === 0 };
}

/** The chunks nearest to the query text, best first. */
export async function searchDocuments(
  ports: Pick<SyncServicePorts, "embedder" | "vectors">,
  query: { text: string; limit: number; regionId?: string; collection?: string },
): Promise<{ collection: string; matches: VectorMatch[] }> {
  const collection = query.collection ?? ports.vectors.defaultCollection;
  const [vector] = await ports.embedder.embed([query.text], "query");
  const matches = await ports.vectors.query(collection, vector!, { limit: query.limit, ...(query.regionId ? { where: { region_id: query.regionId } } : {}) });
  return { collection, matches };
}
