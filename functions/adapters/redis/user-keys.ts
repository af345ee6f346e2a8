// Keys of the user and maintenance domains, under the deployment's prefix.
// The layout is documented in docs/users-and-cleanup.md: other systems (the
// RAG core) write the cache and conversation keys this platform cleans.

export function userKeys(prefix: string) {
  return {
    /** Hash: queries, tokens, processing_ms, tier, daily_limit, tier_basis, updated_at. */
    user: (userId: string) => `${prefix}:user:${userId}`,
    /** Counter of today's submits; expires at the next daily reset. */
    quota: (userId: string) => `${prefix}:quota:${userId}`,
    quotaPattern: `${prefix}:quota:*`,
    /** Marks a usage update as applied, so a retried task adds nothing twice. */
    usageApplied: (onceKey: string) => `${prefix}:user-usage:${onceKey}`,
  };
}

export function maintenanceKeys(prefix: string) {
  return {
    cachePattern: `${prefix}:cache:*`,
    queryCachePrefix: `${prefix}:cache:query:`,
    queryCachePattern: `${prefix}:cache:query:*`,
    conversationPrefix: `${prefix}:conversation:`,
    conversationPattern: `${prefix}:conversation:*`,
  };
}
