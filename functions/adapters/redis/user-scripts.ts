// The atomic steps of the user domain, as Lua (run through run-script.ts:
// EVALSHA, EVAL on NOSCRIPT). Each header names keys, arguments and replies.
import { script } from "./lua.ts";

/**
 * CONSUME QUOTA. KEYS: 1 the user's daily counter, 2 the user's hash.
 * ARGV: 1 the base tier's daily limit (users without a tier), 2 the next reset, ms since epoch.
 * Reply: {allowed 1|0, used, limit, ms until the counter resets (-1 unknown)}.
 * One unit is taken only when under the limit (the user's daily_limit, else ARGV[1]); the
 * counter expires at the next reset, set on first use and repaired if a bug left it without one.
 */
export const consumeQuotaScript = script(`
local limit = tonumber(redis.call('HGET', KEYS[2], 'daily_limit') or ARGV[1])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local allowed = 0
if used < limit then
  used = redis.call('INCR', KEYS[1])
  allowed = 1
end
local pttl = redis.call('PTTL', KEYS[1])
if pttl == -1 then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
  pttl = redis.call('PTTL', KEYS[1])
end
return {allowed, used, limit, pttl}
`);

/**
 * REFUND QUOTA. KEYS: 1 the user's daily counter.
 * Reply: the count after, or -1 when there was nothing to give back (reset meanwhile).
 */
export const refundQuotaScript = script(`
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then return -1 end
return redis.call('DECR', KEYS[1])
`);

/**
 * RECORD USAGE. KEYS: 1 the user's hash, 2 the applied marker of this update.
 * ARGV: 1 queries, 2 tokens, 3 processing ms, 4 now ms, 5 marker ttl s.
 * Reply: {applied 1|0, queries, tokens, processing_ms, tier or "", daily_limit or ""}.
 * The marker makes a retried update a no-op: totals move once per update.
 */
export const recordUsageScript = script(`
local applied = 0
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[5]) then
  redis.call('HINCRBY', KEYS[1], 'queries', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[2])
  redis.call('HINCRBYFLOAT', KEYS[1], 'processing_ms', ARGV[3])
  redis.call('HSET', KEYS[1], 'updated_at', ARGV[4])
  applied = 1
end
local t = redis.call('HMGET', KEYS[1], 'queries', 'tokens', 'processing_ms', 'tier', 'daily_limit')
return {applied, t[1] or '0', t[2] or '0', t[3] or '0', t[4] or '', t[5] or ''}
`);

/**
 * SET TIER. KEYS: 1 the user's hash.
 * ARGV: 1 tier name, 2 its daily limit, 3 the total queries the choice was made on, 4 now ms.
 * Reply: {written 1|0, the tier before or ""}.
 * A choice made on fewer queries than the stored one is dropped: racing calculations cannot step a user back.
 */
export const setTierScript = script(`
local t = redis.call('HMGET', KEYS[1], 'tier', 'tier_basis')
if t[2] and tonumber(t[2]) > tonumber(ARGV[3]) then return {0, t[1] or ''} end
redis.call('HSET', KEYS[1], 'tier', ARGV[1], 'daily_limit', ARGV[2], 'tier_basis', ARGV[3], 'tier_at', ARGV[4])
return {1, t[1] or ''}
`);
