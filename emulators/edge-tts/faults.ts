// Failures the stand-in can be told to act out, so tests can watch how the
// client and the platform's adapter cope with a misbehaving Edge TTS.

export const EdgeTtsFault = [
  /** Answer every WebSocket upgrade with 403, like a blocked token or region. */
  "refuse",
  /** Start the turn, send one chunk of audio, then drop the connection. */
  "close-mid-stream",
  /** turn.start then turn.end with no audio: the service's "empty answer". */
  "no-audio",
  /** Wait before every message of a turn (see slowFrameDelayMs). */
  "slow",
] as const;
export type EdgeTtsFault = (typeof EdgeTtsFault)[number];
