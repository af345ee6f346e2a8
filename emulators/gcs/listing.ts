// Object listing as the JSON API pages it: `prefix`, `delimiter` (names that
// continue past the delimiter collapse into `prefixes`), `startOffset` /
// `endOffset`, and `maxResults` counting items and prefixes together, with an
// opaque `pageToken` that holds the last entry returned.
import { badRequest } from "./errors.ts";
import { compareNames } from "./store.ts";
import type { ObjectRecord } from "./records.ts";

export interface ListQuery {
  prefix: string;
  delimiter: string;
  startOffset: string;
  endOffset: string;
  maxResults: number;
  pageToken: string | undefined;
}

export interface ListPage {
  items: ObjectRecord[];
  prefixes: string[];
  nextPageToken: string | undefined;
}

/** The service's own ceiling for one page. */
const maxPageSize = 1000;

export function listQueryFrom(query: URLSearchParams): ListQuery {
  const maxResults = Number(query.get("maxResults") ?? maxPageSize);
  if (!Number.isInteger(maxResults) || maxResults < 1) throw badRequest("maxResults must be a positive integer");
  return {
    prefix: query.get("prefix") ?? "",
    delimiter: query.get("delimiter") ?? "",
    startOffset: query.get("startOffset") ?? "",
    endOffset: query.get("endOffset") ?? "",
    maxResults: Math.min(maxResults, maxPageSize),
    pageToken: query.get("pageToken") ?? undefined,
  };
}

export function encodePageToken(lastKey: string): string {
  return Buffer.from(lastKey, "utf8").toString("base64url");
}

export function decodePageToken(token: string): string {
  return Buffer.from(token, "base64url").toString("utf8");
}

/**
 * `objects` must be sorted by name. Each name maps to an entry key (its collapsed
 * prefix, or itself); keys come out in non-decreasing order, so resuming after the
 * last key returned skips exactly what earlier pages held.
 */
export function listPage(objects: readonly ObjectRecord[], query: ListQuery): ListPage {
  const after = query.pageToken === undefined ? undefined : decodePageToken(query.pageToken);
  const items: ObjectRecord[] = [];
  const prefixes: string[] = [];
  let lastKey: string | undefined;
  for (const object of objects) {
    const { name } = object;
    if (!name.startsWith(query.prefix)) continue;
    if (query.startOffset && compareNames(name, query.startOffset) < 0) continue;
    if (query.endOffset && compareNames(name, query.endOffset) >= 0) continue;
    const { key, isPrefix } = entryOf(name, query);
    if (after !== undefined && compareNames(key, after) <= 0) continue;
    if (key === lastKey) continue; // another name under a prefix already listed
    if (items.length + prefixes.length === query.maxResults) {
      return { items, prefixes, nextPageToken: encodePageToken(lastKey as string) };
    }
    if (isPrefix) prefixes.push(key);
    else items.push(object);
    lastKey = key;
  }
  return { items, prefixes, nextPageToken: undefined };
}

function entryOf(name: string, query: ListQuery): { key: string; isPrefix: boolean } {
  const at = query.delimiter ? name.indexOf(query.delimiter, query.prefix.length) : -1;
  return at === -1 ? { key: name, isPrefix: false } : { key: name.slice(0, at + query.delimiter.length), isPrefix: true };
}
