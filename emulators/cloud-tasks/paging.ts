// List pagination: an opaque page token that names the last item returned, so
// a page stays correct while items come and go between calls.
import { invalidArgument } from "./rpc-error.ts";

export interface Page<T> { items: T[]; nextPageToken: string }

/** `sorted` must be ordered by `key`; page_size 0 means the service's maximum. */
export function pageOf<T>(
  sorted: T[],
  key: (item: T) => string,
  request: { page_size?: number; page_token?: string },
  maxPageSize: number,
): Page<T> {
  const requested = request.page_size ?? 0;
  if (requested < 0) throw invalidArgument("page_size must not be negative.");
  const size = Math.min(requested || maxPageSize, maxPageSize);
  let start = 0;
  if (request.page_token) {
    let after: unknown;
    try {
      after = JSON.parse(Buffer.from(request.page_token, "base64url").toString()).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== "string") throw invalidArgument("Invalid page_token.");
    start = sorted.findIndex((item) => key(item) > after);
    if (start === -1) start = sorted.length;
  }
  const items = sorted.slice(start, start + size);
  const last = items.at(-1);
  const more = start + size < sorted.length && last !== undefined;
  return {
    items,
    nextPageToken: more ? Buffer.from(JSON.stringify({ after: key(last) })).toString("base64url") : "",
  };
}
