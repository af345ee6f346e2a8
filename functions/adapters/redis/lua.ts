// Lua scripts and the fragments they share. A script is its source and its SHA1
// (EVALSHA first, see run-script.ts); a fragment is a Lua function prepended to
// the scripts that call it, so one rule (what is final, how a group member is
// counted, how a rate limit counts) is written once.
import { createHash } from "node:crypto";
import { FinalStatus } from "../../core/states.ts";

export interface LuaScript {
  source: string;
  sha1: string;
}

/** A script made of the fragments it uses, then its body. */
export function script(body: string, ...fragments: string[]): LuaScript {
  const source = [...fragments, body].join("\n");
  return { source, sha1: createHash("sha1").update(source).digest("hex") };
}

/** is_final(status): the states a task never leaves (core/states.ts), so Lua and TypeScript agree. */
export const IS_FINAL = `
local function is_final(status)
  return ${FinalStatus.map((s) => `status == '${s}'`).join(" or ")}
end`;

/**
 * count_member(group key, status, follow-ups): counts a group member that reached a final state, and adds the
 * group's own follow-up to those the member has: "chain" for every step of a chain, "chord" for the member that
 * completes a chord. Returns follow-ups, done, total. FINISH and REVOKE count a member the same way, so that a
 * chord whose last member is revoked still completes.
 */
export const COUNT_MEMBER = `
local function count_member(group, status, follow)
  local done = redis.call('HINCRBY', group, 'done', 1)
  redis.call('HINCRBY', group, status, 1)
  local g = redis.call('HMGET', group, 'total', 'kind')
  local total = tonumber(g[1] or '0')
  local own = ''
  if g[2] == 'chain' then own = 'chain' elseif g[2] == 'chord' and done == total then own = 'chord' end
  if own ~= '' then
    if follow == '' then follow = own else follow = follow .. ',' .. own end
  end
  return follow, done, total
end`;

/**
 * rate_limited(current window key, previous window key, limit, now ms, window ms): an API key's sliding-window
 * counter, the algorithm of @upstash/ratelimit's slidingWindow: the previous fixed window's count weighted by how
 * much of it the sliding window still covers, plus the current one's. Under the limit it counts this request and
 * returns false; at the limit it counts nothing and returns the ms until the current window ends (Retry-After).
 * The window keys are named by the caller's clock (rate-limiter.ts); a limit of "" counts nothing.
 * Counted inside the script that does the request's work (SUBMIT, STATUS), a limited key costs no extra request.
 */
export const RATE_LIMITED = `
local function rate_limited(current, previous, limit, now, window)
  if limit == '' then return false end
  limit, now, window = tonumber(limit), tonumber(now), tonumber(window)
  local counts = redis.call('MGET', current, previous)
  local elapsed = now % window
  local weighted = math.floor((1 - elapsed / window) * (tonumber(counts[2]) or 0))
  if weighted + (tonumber(counts[1]) or 0) >= limit then return window - elapsed end
  if redis.call('INCR', current) == 1 then redis.call('PEXPIRE', current, window * 2 + 1000) end
  return false
end`;
