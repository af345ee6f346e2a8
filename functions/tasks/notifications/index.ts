export { notifyQueryResult } from "./query-result.ts";
export { notifySystem } from "./system.ts";
export { notifyUsageStatistics } from "./usage-statistics.ts";
