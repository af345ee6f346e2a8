// The read-aloud WebSocket framing. Text messages are HTTP-like header lines, a
// blank line and a body; audio travels in binary messages made of a 2-byte
// big-endian header length, the header lines, then the MP3 bytes.
//
// msedge-tts finds the request id with /X-RequestId:(.*?)\r\n/ in every message
// and the audio after "Path:audio\r\n", so every message we send carries
// X-RequestId and an audio header ends with the Path line.

const headerEnd = "\r\n\r\n";

export interface TextMessage {
  headers: Map<string, string>;
  body: string;
}

/** Splits a client's text message; header names are lower-cased. */
export function parseTextMessage(raw: string): TextMessage {
  const split = raw.indexOf(headerEnd);
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? "" : raw.slice(split + headerEnd.length);
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** A service text message: turn.start, response, audio.metadata, turn.end. */
export function textMessage(requestId: string, path: string, body: unknown): string {
  return (
    `X-RequestId:${requestId}\r\n` +
    `Content-Type:application/json; charset=utf-8\r\n` +
    `Path:${path}${headerEnd}` +
    JSON.stringify(body)
  );
}

/**
 * A binary audio message. The service ends every turn's audio with one such
 * message that has no Content-Type and no bytes; clients skip it.
 */
export function audioMessage(requestId: string, streamId: string, audio: Uint8Array | null): Buffer {
  const header = Buffer.from(
    `X-RequestId:${requestId}\r\n` +
      (audio ? "Content-Type:audio/mpeg\r\n" : "") +
      `X-StreamId:${streamId}\r\n` +
      `Path:audio\r\n`,
  );
  const length = Buffer.alloc(2);
  length.writeUInt16BE(header.length);
  return Buffer.concat([length, header, audio ?? new Uint8Array(0)]);
}
