export { syncFull, syncAllRegions, syncRegion } from "./full-sync.ts";
export { syncEmbeddings } from "./incremental-sync.ts";
export { syncProcessQueue, syncQueueDocument, syncDeleteDocument } from "./queued-documents.ts";
export { batchSize, collectionName, documentId } from "./schemas.ts";
export { queueDocument, searchDocuments, syncServiceUses } from "./service.ts";
