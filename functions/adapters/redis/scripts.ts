// The atomic state changes of a task, as Lua run by Redis (EVALSHA, with EVAL
// when the server does not have the script yet). Each header names the keys,
// the arguments and the replies. Every write after submit is fenced: by the
// Cloud Task name of the delivery (a late copy of an older attempt is "stale")
// and by the run id a claim hands out (an attempt that outlived its lease cannot
// overwrite the run that took over).
// Shared rules are fragments (lua.ts): what is final, how a group member is counted, how a rate limit counts.
import { COUNT_MEMBER, IS_FINAL, RATE_LIMITED, script } from "./lua.ts";

/**
 * SUBMIT. KEYS: 1 task hash, 2 idempotency key or "", 3 the tenant's index of the queue (zset),
 * 4 and 5 the API key's rate-limit windows (current, previous; "" without a limit).
 * ARGV: 1 task id, 2 created_at ms, 3 idempotency ttl s, 4 task key prefix, 5 request fingerprint ("" : none),
 * 6 not after (ms, Redis's clock), 7 rate limit ("" : none), 8 now ms (the window keys' clock), 9 window ms,
 * 10.. field/value pairs.
 * A submit that reaches Redis after its caller gave up (a stalled Redis, the api answered 503) writes
 * nothing: run late, it would leave a record with no Cloud Task, never to run or expire.
 * The idempotency key holds "<task id> <fingerprint>": the same key with another request is a conflict,
 * as payment APIs answer it, not a silent replay of a different task.
 * The rate limit is counted here, so a limited key's submit is one request; a replay counts as a request too.
 * A replay marks the record `replayed`: its caller is told the task exists, so the first submit's undo (UNSUBMIT,
 * when its enqueue failed) must leave it; the replay enqueues it under the same name instead.
 * Reply: {1} created; {0, existing id} the same request again, whose task still exists;
 * {2, existing id} the key was used for a different request; {3} too late, nothing written;
 * {4, ms until the window ends} over the rate limit, nothing written or counted.
 */
export const submitScript = script(`
local clock = redis.call('TIME')
if tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) > tonumber(ARGV[6]) then return {3} end
local wait = rate_limited(KEYS[4], KEYS[5], ARGV[7], ARGV[8], ARGV[9])
if wait then return {4, wait} end
if KEYS[2] ~= '' then
  local value = ARGV[1] .. ' ' .. ARGV[5]
  local existing = redis.call('SET', KEYS[2], value, 'NX', 'GET', 'EX', ARGV[3])
  if existing then
    local id, fingerprint = string.match(existing, '^(%S+) ?(.*)$')
    if redis.call('EXISTS', ARGV[4] .. id) == 1 then
      if fingerprint ~= '' and ARGV[5] ~= '' and fingerprint ~= ARGV[5] then return {2, id} end
      redis.call('HSET', ARGV[4] .. id, 'replayed', 1)
      return {0, id}
    end
    redis.call('SET', KEYS[2], value, 'EX', ARGV[3])
  end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 10))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return {1}
`, RATE_LIMITED);

/**
 * UNSUBMIT. KEYS: 1 task hash, 2 the tenant's index of the queue, 3 idempotency key or "". ARGV: 1 task id.
 * Undoes SUBMIT when the task could not be enqueued, unless a replay has answered the task's id meanwhile
 * (SUBMIT marked it `replayed`): that caller holds the id and its replay enqueues the task.
 * Reply: 1 removed; 0 kept for the replay.
 */
export const unsubmitScript = script(`
if redis.call('HEXISTS', KEYS[1], 'replayed') == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if KEYS[3] ~= '' then redis.call('DEL', KEYS[3]) end
return 1
`);

/**
 * STATUS. KEYS: 1 task hash, 2 and 3 the API key's rate-limit windows (current, previous).
 * ARGV: 1 rate limit, 2 now ms, 3 window ms, 4.. the fields to read.
 * Reply: {1, values…} (the values HMGET answers; the status field nil when there is no such task);
 * {4, ms until the window ends} over the rate limit, nothing read or counted.
 * Only a poll with a rate limit comes here (a plain HMGET otherwise): the count rides on the read.
 */
export const statusScript = script(`
local wait = rate_limited(KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
if wait then return {4, wait} end
local values = redis.call('HMGET', KEYS[1], unpack(ARGV, 4))
table.insert(values, 1, 1)
return values
`, RATE_LIMITED);

/**
 * CLAIM. KEYS: 1 task hash, 2 workers hash.
 * ARGV: 1 Cloud Task name of this delivery, 2 run id, 3 now ms, 4 lease ms (shortened to the record's lease_ms, its
 * task's hard limit and a margin, when that is shorter), 5 worker id, 6 heartbeat JSON or "".
 * Reply: {"claimed", attempt, revoke flag, priority, callback url, group id, group index, type, tenant, payload}
 * | {"missing"} | {"final", status, pending follow-ups} | {"stale"} | {"busy", lease until ms} | {"early", eta ms}.
 * The run gets the type and payload the record holds, never what a delivery says: a replayed or forged
 * body cannot change what runs. A delivery before the task's ETA, or a retry's before its backoff ends
 * (1 s of skew allowed), is "early".
 * "final" names the follow-ups (comma-separated) its finish recorded and nobody has marked done yet:
 * the duplicate delivery carries them out. {"retry", next Cloud Task, next attempt ms, type, priority}: the
 * Cloud Task that wrote RETRY (field rct) is delivered again, so its run may not have created the next
 * attempt's Cloud Task (a RETRY write that landed after it looked failed): the delivery makes sure of it
 * (creating a name that exists is a no-op) and runs nothing.
 * A STARTED task whose lease ran out (its worker died) is taken over by the next delivery.
 * Another Cloud Task's delivery while a run holds the lease is "busy", not "stale": it may be
 * the next attempt's, dispatched before the run that enqueued it has written RETRY (a short
 * backoff and a slow write); dropping it would leave the task in RETRY for good.
 */
export const claimScript = script(`
local t = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'lease', 'revoke', 'ct', 'priority', 'callback', 'group', 'group_index', 'type', 'tenant', 'payload', 'eta', 'lease_ms', 'next_at', 'rct')
local status = t[1]
if not status then return {'missing'} end
if is_final(status) then return {'final', status, redis.call('HGET', KEYS[1], 'outbox') or ''} end
local now = tonumber(ARGV[3])
local leased = status == 'STARTED' and tonumber(t[3] or '0') > now
if t[5] ~= ARGV[1] then
  if leased then return {'busy', t[3]} end
  if status == 'RETRY' and t[16] == ARGV[1] then return {'retry', t[5], t[15] or '0', t[10] or '', t[6] or 'normal'} end
  return {'stale'}
end
if leased then return {'busy', t[3]} end
local due = t[13]
if status == 'RETRY' then due = t[15] end
if due and tonumber(due) > now + 1000 then return {'early', due} end
local attempt = tonumber(t[2] or '0') + 1
local lease = tonumber(ARGV[4])
if t[14] and tonumber(t[14]) < lease then lease = tonumber(t[14]) end
redis.call('HSET', KEYS[1], 'status', 'STARTED', 'attempts', attempt, 'run', ARGV[2], 'lease', now + lease, 'started_at', ARGV[3], 'worker', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], ARGV[5], ARGV[6]) end
return {'claimed', attempt, t[4] or '', t[6] or 'normal', t[7] or '', t[8] or '', t[9] or '0', t[10] or '', t[11] or '_system', t[12] or '{}'}
`, IS_FINAL);

/**
 * PROGRESS. KEYS: 1 task hash. ARGV: 1 run id, 2 percent (negative: only read the revoke flag), 3 message,
 * 4 lease until ms ("" keeps the lease).
 * Reply: -1 the run no longer owns the task; 1 a revoke was requested; 0 otherwise.
 * Every call renews the run's lease (the heartbeat rides on the revoke poll and progress writes), so a run
 * whose worker died is taken over within one lease, however long its hard limit.
 */
export const progressScript = script(`
local t = redis.call('HMGET', KEYS[1], 'run', 'revoke', 'status')
if t[1] ~= ARGV[1] or t[3] ~= 'STARTED' then return -1 end
if tonumber(ARGV[2]) >= 0 then
  redis.call('HSET', KEYS[1], 'progress', ARGV[2], 'message', ARGV[3], 'lease', ARGV[4])
else
  redis.call('HSET', KEYS[1], 'lease', ARGV[4])
end
if t[2] == '1' then return 1 end
return 0
`);

/**
 * FINISH. KEYS: 1 task hash, 2 queue stats hash, 3 failed index (zset), 4 group hash or "", 5 outbox index (zset).
 * ARGV: 1 run id, 2 status (SUCCESS|FAILURE|REVOKED|RETRY), 3 now ms, 4 ttl s, 5 task id,
 * 6 follow-ups the caller knows of (comma-separated: "event", "callback"; "" for none), 7.. field/value pairs.
 * Reply: 0 fenced off (another run owns the task, or it is no longer STARTED); otherwise
 * {1, done, total, follow-ups}: the group's count after this member (0, 0 outside a group), counted here so that a
 * duplicate delivery (fenced off above) never counts twice, and every follow-up recorded with the final state.
 * The group adds its own: "chain" for every step of a chain, "chord" for the member that completes a chord.
 * Follow-ups are kept in the record (field outbox) and indexed by finish time, so that a redelivery or the
 * outbox sweep carries out those a dead worker left; OUTBOX_DONE clears them.
 * A final state starts the record's expiry; RETRY keeps it alive for the next attempt.
 */
export const finishScript = script(`
local t = redis.call('HMGET', KEYS[1], 'run', 'status', 'ct')
if t[1] ~= ARGV[1] or t[2] ~= 'STARTED' then return 0 end
local status = ARGV[2]
if status == 'RETRY' then
  redis.call('HSET', KEYS[1], 'status', status, 'lease', 0, 'rct', t[3], unpack(ARGV, 7))
  redis.call('HINCRBY', KEYS[2], status, 1)
  return {1, 0, 0, ''}
end
local follow = ARGV[6]
local done, total = 0, 0
if KEYS[4] ~= '' then follow, done, total = count_member(KEYS[4], status, follow) end
if follow ~= '' then
  redis.call('HSET', KEYS[1], 'status', status, 'lease', 0, 'outbox', follow, unpack(ARGV, 7))
  redis.call('ZADD', KEYS[5], ARGV[3], ARGV[5])
else
  redis.call('HSET', KEYS[1], 'status', status, 'lease', 0, unpack(ARGV, 7))
end
redis.call('HINCRBY', KEYS[2], status, 1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
if status == 'FAILURE' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[5]) end
return {1, done, total, follow}
`, COUNT_MEMBER);

/**
 * OUTBOX_DONE. KEYS: 1 task hash, 2 outbox index (zset). ARGV: 1 task id, 2.. follow-ups carried out.
 * Reply: the follow-ups still pending, comma-separated ("" when none: the task leaves the outbox).
 */
export const outboxDoneScript = script(`
local pending = redis.call('HGET', KEYS[1], 'outbox')
if not pending then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return ''
end
local done = {}
for i = 2, #ARGV do done[ARGV[i]] = true end
local left = {}
for item in string.gmatch(pending, '[^,]+') do
  if not done[item] then left[#left + 1] = item end
end
if #left == 0 then
  redis.call('HDEL', KEYS[1], 'outbox')
  redis.call('ZREM', KEYS[2], ARGV[1])
  return ''
end
local rest = table.concat(left, ',')
redis.call('HSET', KEYS[1], 'outbox', rest)
return rest
`);

/**
 * UNRETRY. KEYS: 1 task hash. ARGV: 1 the next attempt's Cloud Task name (written with RETRY), 2 this delivery's.
 * Reply: 1 the current Cloud Task carries the next attempt again; 0 the task moved on (the next attempt claimed it).
 * RETRY is written before the next attempt is enqueued; when Cloud Tasks refuses it, this undoes the name so that
 * the current Cloud Task, redelivered, is the one that claims the next attempt.
 */
export const unretryScript = script(`
local t = redis.call('HMGET', KEYS[1], 'status', 'ct')
if t[1] ~= 'RETRY' or t[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'ct', ARGV[2])
return 1
`);

/**
 * REVOKE. KEYS: 1 task hash, 2 outbox index (zset).
 * ARGV: 1 terminate ("1"/"0"), 2 now ms, 3 default ttl s, 4 error JSON, 5 queue stats key prefix, 6 group key prefix,
 * 7 task id (the stats and group hashes are named after the record's queue and group, known only inside the script).
 * Reply: {"revoked", cloud task, queue, priority} | {"signalled"} | {"running"} | {"final", status} | {"missing"}.
 * A queued task (or a STARTED one whose worker is gone) is REVOKED here; a running one is only flagged,
 * and its worker ends it REVOKED when it sees the flag.
 * Revoked here, a group member is counted as FINISH counts it (a chord whose last member is revoked still
 * completes), and its follow-ups (the group's, a callback_url delivery) go to the outbox, for the sweep.
 */
export const revokeScript = script(`
local t = redis.call('HMGET', KEYS[1], 'status', 'lease', 'ct', 'queue', 'priority', 'ttl', 'group', 'callback')
local status = t[1]
if not status then return {'missing'} end
if is_final(status) then return {'final', status} end
if status == 'STARTED' and tonumber(t[2] or '0') > tonumber(ARGV[2]) then
  if ARGV[1] == '1' then
    redis.call('HSET', KEYS[1], 'revoke', '1')
    return {'signalled'}
  end
  return {'running'}
end
redis.call('HSET', KEYS[1], 'status', 'REVOKED', 'revoke', '1', 'lease', 0, 'finished_at', ARGV[2], 'error', ARGV[4], 'message', 'revoked')
local follow = ''
if t[8] and t[8] ~= '' then follow = 'callback' end
if t[7] and t[7] ~= '' then follow = count_member(ARGV[6] .. t[7], 'REVOKED', follow) end
if follow ~= '' then
  redis.call('HSET', KEYS[1], 'outbox', follow)
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[7])
end
redis.call('EXPIRE', KEYS[1], tonumber(t[6] or ARGV[3]))
redis.call('HINCRBY', ARGV[5] .. (t[4] or 'unknown'), 'REVOKED', 1)
return {'revoked', t[3], t[4], t[5] or 'normal'}
`, IS_FINAL, COUNT_MEMBER);

/**
 * REDRIVE. KEYS: 1 task hash, 2 failed index (zset). ARGV: 1 task id, 2 new Cloud Task name, 3 now ms.
 * Reply: {1} the FAILURE is PENDING again with a fresh attempt budget; {0, status or ""} otherwise.
 * The caller then enqueues that Cloud Task; if it cannot, UNREDRIVE puts the FAILURE back.
 */
export const redriveScript = script(`
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'FAILURE' then return {0, status or ''} end
redis.call('HSET', KEYS[1], 'status', 'PENDING', 'attempts', 0, 'ct', ARGV[2], 'progress', 0, 'message', 'redriven', 'lease', 0)
redis.call('HDEL', KEYS[1], 'error', 'result', 'has_result', 'finished_at', 'next_at', 'revoke', 'run', 'outbox')
redis.call('HINCRBY', KEYS[1], 'redrives', 1)
redis.call('PERSIST', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {1}
`);

/**
 * UNREDRIVE. KEYS: 1 task hash, 2 failed index (zset). ARGV: 1 task id, 2 the Cloud Task name REDRIVE set, 3 now ms, 4 ttl s, 5 error JSON.
 * Reply: 1 the task is FAILURE again; 0 it had moved on (a delivery claimed it).
 */
export const unredriveScript = script(`
local t = redis.call('HMGET', KEYS[1], 'status', 'ct')
if t[1] ~= 'PENDING' or t[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'FAILURE', 'finished_at', ARGV[3], 'error', ARGV[5], 'message', '')
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
`);

/**
 * GROUP PROGRESS. KEYS: 1 group hash. ARGV: 1 members submitted, 2 submit errors.
 * Reply: 1. Both counts only grow: chain steps are submitted by follow-ups that may run late or again
 * (a redelivery, the sweep), and a late one must not lower what a later one wrote (a chain would stay
 * STARTED with every step done).
 */
export const groupProgressScript = script(`
local t = redis.call('HMGET', KEYS[1], 'submitted', 'submit_errors')
if tonumber(ARGV[1]) > tonumber(t[1] or '0') then redis.call('HSET', KEYS[1], 'submitted', ARGV[1]) end
if tonumber(ARGV[2]) > tonumber(t[2] or '0') then redis.call('HSET', KEYS[1], 'submit_errors', ARGV[2]) end
return 1
`);
