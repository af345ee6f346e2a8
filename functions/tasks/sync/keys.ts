// The sync domain's keys in the key-value store (Redis), one family per collection.
export const syncKeys = {
  /** ISO time of the newest source change synced into the collection: where sync.embeddings starts. */
  watermark: (collection: string) => `sync:watermark:${collection}`,
  /** Set of document ids waiting for sync.process_queue. */
  pending: (collection: string) => `sync:pending:${collection}`,
  /** Where a resumable sync stands (see checkpoint.ts). */
  checkpoint: (id: string) => `sync:checkpoint:${id}`,
};
