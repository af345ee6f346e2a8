// Checks a WebSocket upgrade the way the read-aloud front door does: the right
// path, the Edge browser's trusted client token, and a Sec-MS-GEC hash of the
// current five-minute window. A client that gets any of these wrong sees the
// same 403 it would get from speech.platform.bing.com.
import { createHash } from "node:crypto";

export const synthesisPath = "/consumer/speech/synthesize/readaloud/edge/v1";
export const voicesPath = "/consumer/speech/synthesize/readaloud/voices/list";

/** The token Edge ships with; every read-aloud client sends this one. */
export const trustedClientToken = "6A5AA1D4EAFF4E9FB37E23D68491D6F4";

/** Seconds between 1601-01-01 (Windows file time) and 1970-01-01. */
const windowsEpochOffset = 11_644_473_600;
const windowSeconds = 300;

/** Sec-MS-GEC for the five-minute window containing `nowMs`. */
export function secMsGec(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000) + windowsEpochOffset;
  const windowStart = seconds - (seconds % windowSeconds);
  // 100-ns ticks; BigInt keeps the digits exact whatever the clock says.
  const ticks = (BigInt(windowStart) * 10_000_000n).toString();
  return createHash("sha256").update(`${ticks}${trustedClientToken}`).digest("hex").toUpperCase();
}

export type HandshakeVerdict = { ok: true } | { ok: false; status: 403 | 404; reason: string };

export function checkHandshake(url: URL, nowMs: number): HandshakeVerdict {
  if (url.pathname !== synthesisPath) return { ok: false, status: 404, reason: `no WebSocket at ${url.pathname}` };
  if (url.searchParams.get("TrustedClientToken") !== trustedClientToken) {
    return { ok: false, status: 403, reason: "missing or wrong TrustedClientToken" };
  }
  const gec = url.searchParams.get("Sec-MS-GEC")?.toUpperCase();
  // One window either side absorbs a request made across a window boundary.
  const accepted = [-1, 0, 1].map((shift) => secMsGec(nowMs + shift * windowSeconds * 1000));
  if (!gec || !accepted.includes(gec)) return { ok: false, status: 403, reason: "missing or stale Sec-MS-GEC" };
  return { ok: true };
}
