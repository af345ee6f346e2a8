export { fetchMatchHistory } from "./fetch-history.ts";
export { fetchAndStoreMatch } from "./fetch-and-store.ts";
export { batchFetchMatches } from "./batch-fetch.ts";
