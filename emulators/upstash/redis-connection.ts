// One pipelined RESP2 connection to redis-server. Batches are written whole (one
// write, so a MULTI…EXEC batch is never interleaved with another request's
// commands) and replies are matched to batches in order.
import net from "node:net";
import { RedisUnavailableError } from "./errors.ts";
import { encodeBatch, type CommandArgs } from "./resp-encode.ts";
import { RespParser, type RespValue } from "./resp-parser.ts";

interface PendingBatch {
  expected: number;
  replies: RespValue[];
  resolve(replies: RespValue[]): void;
  reject(error: Error): void;
}

export class RedisConnection {
  private readonly socket: net.Socket;
  private readonly where: string;
  private readonly parser: RespParser;
  private queue: PendingBatch[] = [];
  private head = 0;
  private corked = false;
  private closeReason = "connection closed";
  alive = true;

  /** Connects, or fails with RedisUnavailableError within `timeoutMs`. */
  static open(port: number, host = "127.0.0.1", timeoutMs = 2_000): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host, noDelay: true });
      const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new RedisConnection(socket, `${host}:${port}`));
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(new RedisUnavailableError(`Redis at ${host}:${port} is unreachable: ${error.message}`));
      });
    });
  }

  private constructor(socket: net.Socket, where: string) {
    this.socket = socket;
    this.where = where;
    this.parser = new RespParser((reply) => this.onReply(reply));
    socket.setKeepAlive(true);
    socket.on("data", (chunk: Buffer) => {
      try {
        this.parser.feed(chunk);
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    socket.on("error", (error) => {
      this.closeReason = error.message;
    });
    socket.on("close", () => this.failPending());
  }

  /** Replies not yet received, a load measure for the pool. */
  get pendingBatches(): number {
    return this.queue.length - this.head;
  }

  /** Sends the commands as one write; resolves with their replies, in order. */
  send(commands: readonly CommandArgs[]): Promise<RespValue[]> {
    if (!this.alive) return Promise.reject(this.unavailable());
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ expected: commands.length, replies: [], resolve, reject });
      // Requests arriving in the same tick leave in one TCP segment.
      if (!this.corked) {
        this.corked = true;
        this.socket.cork();
        process.nextTick(() => {
          this.corked = false;
          this.socket.uncork();
        });
      }
      this.socket.write(encodeBatch(commands));
    });
  }

  close(): void {
    this.closeReason = "bridge closed";
    this.socket.destroy();
  }

  private onReply(reply: RespValue): void {
    const batch = this.queue[this.head];
    if (!batch) {
      this.socket.destroy(new Error("Redis sent a reply nobody asked for"));
      return;
    }
    batch.replies.push(reply);
    if (batch.replies.length < batch.expected) return;
    this.queue[this.head] = undefined as unknown as PendingBatch;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    batch.resolve(batch.replies);
  }

  private failPending(): void {
    this.alive = false;
    const pending = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const batch of pending) batch.reject(this.unavailable());
  }

  private unavailable(): RedisUnavailableError {
    return new RedisUnavailableError(`lost the connection to Redis at ${this.where}: ${this.closeReason}`);
  }
}
