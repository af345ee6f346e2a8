// The atomic steps of the cleanup tasks, as Lua over one bounded batch of keys
// (a SCAN page, or a slice of the dead-letter index): values are judged inside
// Redis and never travel. Each header names keys, arguments and replies.
import { script } from "./lua.ts";

/**
 * SWEEP CACHE. KEYS: cache keys from one SCAN page. ARGV: 1 now ms, 2 max age ms.
 * Reply: {removed, ttl given}.
 * A string holding a JSON object with a numeric `created_at` (ms) older than the max age goes;
 * any other key that has no TTL (a bug wrote it so) gets what remains of the max age, or all of it
 * when its age cannot be read. Keys with a TTL and no readable age are left to Redis.
 */
export const sweepCacheScript = script(`
local now, maxAge = tonumber(ARGV[1]), tonumber(ARGV[2])
local removed, given = 0, 0
for _, key in ipairs(KEYS) do
  local pttl = redis.call('PTTL', key)
  if pttl ~= -2 then
    local age = nil
    if redis.call('TYPE', key).ok == 'string' then
      local ok, value = pcall(cjson.decode, redis.call('GET', key))
      if ok and type(value) == 'table' and type(value.created_at) == 'number' then age = now - value.created_at end
    end
    if age and age > maxAge then
      redis.call('UNLINK', key)
      removed = removed + 1
    elseif pttl == -1 then
      local ttl = maxAge
      if age and age > 0 then ttl = maxAge - age end
      redis.call('PEXPIRE', key, math.max(1, math.floor(ttl)))
      given = given + 1
    end
  end
end
return {removed, given}
`);

/**
 * SWEEP QUERY CACHE. KEYS: query-cache keys from one SCAN page. ARGV: 1 cutoff ms.
 * Reply: {removed, of which malformed}.
 * An entry {result, created_at} created before the cutoff goes. An entry without that layout goes
 * only when it also has no TTL (nothing else would ever remove it); with a TTL it is left to expire.
 */
export const sweepQueryCacheScript = script(`
local cutoff = tonumber(ARGV[1])
local removed, malformed = 0, 0
for _, key in ipairs(KEYS) do
  local pttl = redis.call('PTTL', key)
  if pttl ~= -2 then
    local createdAt = nil
    if redis.call('TYPE', key).ok == 'string' then
      local ok, value = pcall(cjson.decode, redis.call('GET', key))
      if ok and type(value) == 'table' and type(value.created_at) == 'number' then createdAt = value.created_at end
    end
    if createdAt then
      if createdAt < cutoff then
        redis.call('UNLINK', key)
        removed = removed + 1
      end
    elseif pttl == -1 then
      redis.call('UNLINK', key)
      removed = removed + 1
      malformed = malformed + 1
    end
  end
end
return {removed, malformed}
`);

/**
 * DELETE UNCHANGED. KEYS: conversation keys. ARGV: the SHA-1 (hex) of each key's text as archived, in order.
 * Reply: how many were deleted. A conversation written to since it was read (another SHA-1) stays.
 */
export const deleteUnchangedScript = script(`
local deleted = 0
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if value and redis.sha1hex(value) == ARGV[i] then
    redis.call('UNLINK', key)
    deleted = deleted + 1
  end
end
return deleted
`);

/**
 * PURGE FAILED. KEYS: 1 the failed index (zset, scored by finish time ms).
 * ARGV: 1 before ms (exclusive), 2 batch size, 3 task key prefix, 4 index key prefix (then "<tenant>:<queue>").
 * Reply: {index entries examined (and removed), FAILURE records deleted}.
 * The oldest entries first. A record still FAILURE is deleted with its tenant's index entry; a record
 * that moved on (redriven) or expired loses only its dead-letter entry.
 */
export const purgeFailedScript = script(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = 0
for _, id in ipairs(ids) do
  local key = ARGV[3] .. id
  local t = redis.call('HMGET', key, 'status', 'queue', 'tenant')
  if t[1] == 'FAILURE' then
    redis.call('UNLINK', key)
    if t[2] then redis.call('ZREM', ARGV[4] .. (t[3] or '_system') .. ':' .. t[2], id) end
    deleted = deleted + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
return {#ids, deleted}
`);

/**
 * SWEEP INDEXES. KEYS: 1 the sweep's cursors (hash: index key → "<from> <rewound at ms>"), 2.. index zsets
 * (a tenant's index of a queue, scored by creation time; the dead-letter index, by finish time).
 * ARGV: 1 horizon (entries scored up to it are looked at), 2 budget (entries looked at, over all indexes),
 * 3 task key prefix, 4 now ms, 5 rewind ms.
 * Reply: {entries looked at, entries removed (their record had expired), entries left in these indexes}.
 * Records expire by their own TTL; an index entry leaves here once its record is gone, so the indexes hold
 * what lives and never grow with history. Each index is walked oldest first from where the last run stopped;
 * an entry found live (a long result TTL, an ETA far ahead) stays behind the cursor and is looked at again
 * when the walk starts over from the oldest, once per rewind period: the cost per run is the entries that
 * aged past the horizon since, not the index's size. A full page of one score (more than a budget of tasks in
 * one millisecond) steps past that score; what it skipped waits for the next rewind. The cursors are read in one
 * HMGET and written in one HSET (only those that moved): an idle run costs two commands per index (ZRANGEBYSCORE, ZCARD).
 */
export const sweepIndexesScript = script(`
local horizon, budget, prefix, now, rewind = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local examined, removed, entries = 0, 0, 0
local indexes = {}
for i = 2, #KEYS do indexes[#indexes + 1] = KEYS[i] end
local states = redis.call('HMGET', KEYS[1], unpack(indexes))
local moved = {}
for i, index in ipairs(indexes) do
  local from, rewound = '-inf', now
  if states[i] then
    local f, r = string.match(states[i], '^(%S+) (%S+)$')
    if f then from, rewound = f, tonumber(r) end
  end
  local left = budget - examined
  if left > 0 then
    local page = redis.call('ZRANGEBYSCORE', index, from, horizon, 'WITHSCORES', 'LIMIT', 0, left)
    local n = #page / 2
    for j = 1, #page, 2 do
      if redis.call('EXISTS', prefix .. page[j]) == 0 then
        redis.call('ZREM', index, page[j])
        removed = removed + 1
      end
    end
    examined = examined + n
    if n < left then
      if now - rewound >= rewind then from, rewound = '-inf', now elseif n > 0 then from = page[#page] end
    elseif page[2] == page[#page] then
      from = '(' .. page[#page]
    else
      from = page[#page]
    end
    local state = from .. ' ' .. rewound
    if state ~= states[i] then
      moved[#moved + 1] = index
      moved[#moved + 1] = state
    end
  end
  entries = entries + redis.call('ZCARD', index)
end
if #moved > 0 then redis.call('HSET', KEYS[1], unpack(moved)) end
return {examined, removed, entries}
`);
