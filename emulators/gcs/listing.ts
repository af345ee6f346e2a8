// Object listing as the JSON API pages it: `prefix`, `matchGlob`, `delimiter`
// (names that continue past the delimiter collapse into `prefixes`),
// `startOffset` / `endOffset`, and `maxResults` counting items and prefixes
// together, with an opaque `pageToken` that holds the last entry returned.
import { badRequest } from "./errors.ts";
import { compareNames } from "./store.ts";
import type { ObjectRecord } from "./records.ts";

export interface ListQuery {
  prefix: string;
  delimiter: string;
  startOffset: string;
  endOffset: string;
  /** From `matchGlob`: names that do not match are not listed. */
  glob: RegExp | undefined;
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
  const matchGlob = query.get("matchGlob");
  const delimiter = query.get("delimiter") ?? "";
  if (matchGlob !== null && delimiter !== "" && delimiter !== "/") throw badRequest("Delimiter must be '/' when matchGlob is set.");
  return {
    glob: matchGlob === null ? undefined : globPattern(matchGlob),
    prefix: query.get("prefix") ?? "",
    delimiter,
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
    if (query.glob && !query.glob.test(name)) continue;
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

// Cloud Storage's glob syntax as a regular expression: `*` and `?` stay within
// one `/`-separated part, `**` crosses parts (followed by a slash it also
// matches no part at all), `[abc]`, `[!abc]` and `{a,b}` as in shells.
function globPattern(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) throw badRequest(`matchGlob has an unterminated [ at ${i}: ${glob}`);
      const body = glob.slice(i + 1, end);
      source += `[${body.startsWith("!") ? `^${escapeClass(body.slice(1))}` : escapeClass(body)}]`;
      i = end;
    } else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end === -1) throw badRequest(`matchGlob has an unterminated { at ${i}: ${glob}`);
      source += `(?:${glob.slice(i + 1, end).split(",").map(escapeLiteral).join("|")})`;
      i = end;
    } else source += escapeLiteral(c);
  }
  return new RegExp(`^${source}$`, "s");
}

const escapeLiteral = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const escapeClass = (text: string) => text.replace(/[\\\]^]/g, "\\$&");
