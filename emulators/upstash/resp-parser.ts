// Streaming RESP2 reply parser. It resumes where the previous chunk stopped
// (open arrays live on a stack, a partial token waits for exactly the bytes it
// needs), so a large reply arriving in many chunks is parsed in linear time.
import { RedisReplyError } from "./errors.ts";

/** A RESP2 reply: simple string → string, bulk string → Buffer, nil → null. */
export type RespValue = string | number | null | Buffer | RedisReplyError | RespValue[];

const CR = 13;
const PLUS = 43;
const MINUS = 45;
const COLON = 58;
const DOLLAR = 36;
const STAR = 42;

interface OpenArray {
  items: RespValue[];
  remaining: number;
}

export class RespProtocolError extends Error {
  override name = "RespProtocolError";
}

export class RespParser {
  private readonly onReply: (value: RespValue) => void;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before parsing is worth trying again. */
  private needed = 1;
  private readonly open: OpenArray[] = [];

  constructor(onReply: (value: RespValue) => void) {
    this.onReply = onReply;
  }

  feed(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.needed) return;
    const buffer = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    this.needed = 1;
    let position = 0;
    while (position < buffer.length) {
      const next = this.parseToken(buffer, position);
      if (next < 0) {
        const rest = buffer.subarray(position);
        this.chunks = [rest];
        this.buffered = rest.length;
        return;
      }
      position = next;
    }
  }

  /** Parses one token at `start`; returns the position after it, or -1 if incomplete. */
  private parseToken(buffer: Buffer, start: number): number {
    const lineEnd = buffer.indexOf(CR, start + 1);
    if (lineEnd < 0 || lineEnd + 1 >= buffer.length) {
      this.needed = buffer.length - start + 1;
      return -1;
    }
    const afterLine = lineEnd + 2;
    switch (buffer[start]) {
      case PLUS:
        this.push(buffer.toString("utf8", start + 1, lineEnd));
        return afterLine;
      case MINUS:
        this.push(new RedisReplyError(buffer.toString("utf8", start + 1, lineEnd)));
        return afterLine;
      case COLON:
        this.push(Number(buffer.toString("latin1", start + 1, lineEnd)));
        return afterLine;
      case DOLLAR: {
        const length = Number(buffer.toString("latin1", start + 1, lineEnd));
        if (length < 0) {
          this.push(null);
          return afterLine;
        }
        const end = afterLine + length;
        if (end + 2 > buffer.length) {
          this.needed = end + 2 - start;
          return -1;
        }
        this.push(buffer.subarray(afterLine, end));
        return end + 2;
      }
      case STAR: {
        const count = Number(buffer.toString("latin1", start + 1, lineEnd));
        if (count < 0) this.push(null);
        else if (count === 0) this.push([]);
        else this.open.push({ items: [], remaining: count });
        return afterLine;
      }
      default:
        throw new RespProtocolError(`unexpected RESP type byte ${buffer[start]}`);
    }
  }

  /** Adds a finished value to the innermost open array, closing arrays it completes. */
  private push(value: RespValue): void {
    let finished = value;
    for (;;) {
      const top = this.open[this.open.length - 1];
      if (!top) {
        this.onReply(finished);
        return;
      }
      top.items.push(finished);
      if (--top.remaining > 0) return;
      this.open.pop();
      finished = top.items;
    }
  }
}
