/** Seconds from a Retry-After header (delta-seconds or an HTTP date); `fallback` when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, fallback: number, now = Date.now()): number {
  if (!header) return fallback;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? fallback : Math.max(0, (at - now) / 1000);
}
