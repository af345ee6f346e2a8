export { syncFull, syncAllRegions, syncRegion } from "./full-sync.ts";
export { syncEmbeddings } from "./incremental-sync.ts";
export { syncProcessQueue, syncQueueDocument, syncDeleteDocument } from "./queued-documents.ts";
export { syncKeys } from "./keys.ts";
