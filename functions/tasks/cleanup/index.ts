export { cleanupCache } from "./cache.ts";
export { cleanupQueryCache } from "./query-cache.ts";
export { cleanupConversations } from "./conversations.ts";
export { cleanupFailedTasks } from "./failed-tasks.ts";
