// The HTTP side of the bridge: Upstash's routes, bearer auth, response headers,
// and the unauthenticated /__stats routes the benchmark reads.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CommandRejectedError, RedisUnavailableError } from "./errors.ts";
import { runPipeline, runSingle, runTransaction, type Executor, type RestAnswer } from "./execute-commands.ts";

export interface RestHandlerOptions extends Executor {
  token: string;
  resetStats(): Promise<void>;
  redisCommandsExecuted(): Promise<number>;
}

/** Upstash's own request limit is in this range; it keeps a bad client from exhausting memory. */
const maxBodyBytes = 10 * 1024 * 1024;

class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

export function createRestHandler(options: RestHandlerOptions) {
  // Read-your-writes token: one Redis node is always consistent, so a counter
  // that moves with every request is all a client can observe.
  let syncToken = 0;

  const reply = (res: ServerResponse, answer: RestAnswer) => {
    res.writeHead(answer.status, {
      "content-type": "application/json",
      "upstash-sync-token": String(++syncToken),
    });
    res.end(JSON.stringify(answer.body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://bridge");
    if (url.pathname === "/__stats" || url.pathname.startsWith("/__stats/")) {
      reply(res, await statsAnswer(options, req.method ?? "GET", url.pathname));
      return;
    }
    options.counters.requests++;
    if (!isAuthorized(req, url, options.token)) {
      reply(res, { status: 401, body: { error: "Unauthorized" } });
      return;
    }
    const method = req.method ?? "GET";
    if (!["GET", "HEAD", "POST", "PUT"].includes(method)) {
      reply(res, { status: 405, body: { error: `ERR method ${method} is not allowed` } });
      return;
    }
    const body = method === "POST" || method === "PUT" ? await readBody(req) : Buffer.alloc(0);
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    reply(res, await answerCommands(options, url.pathname, body, base64));
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyTooLargeError) return reply(res, { status: 413, body: { error: error.message } });
      reply(res, { status: 500, body: { error: `ERR bridge failure: ${String(error)}` } });
    });
  };
}

async function answerCommands(executor: Executor, path: string, body: Buffer, base64: boolean): Promise<RestAnswer> {
  try {
    if (path === "/pipeline") return await runPipeline(executor, parseJson(body), base64);
    if (path === "/multi-exec") return await runTransaction(executor, parseJson(body), base64);
    if (path === "/") {
      if (body.length === 0) return { status: 400, body: { error: "ERR no command in the request body" } };
      return await runSingle(executor, parseJson(body), base64);
    }
    return await runSingle(executor, pathCommand(path, body), base64);
  } catch (error) {
    if (error instanceof CommandRejectedError) return { status: 400, body: { error: error.message } };
    if (error instanceof RedisUnavailableError) return { status: 503, body: { error: error.message } };
    throw error;
  }
}

/** `Authorization: Bearer <token>`, or Upstash's `?_token=` fallback when the header is absent. */
function isAuthorized(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization;
  if (header !== undefined) return header === `Bearer ${token}`;
  return url.searchParams.get("_token") === token;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new CommandRejectedError("ERR failed to parse the request body as JSON");
  }
}

/** `/set/key/value`: URL-decoded segments; a POST body, when present, is one more argument. */
function pathCommand(path: string, body: Buffer): (string | Buffer)[] {
  let args: (string | Buffer)[];
  try {
    args = path.slice(1).split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    throw new CommandRejectedError("ERR malformed percent-encoding in the command path");
  }
  if (body.length > 0) args.push(body);
  return args;
}

async function statsAnswer(options: RestHandlerOptions, method: string, path: string): Promise<RestAnswer> {
  try {
    if (method === "GET" && path === "/__stats") return { status: 200, body: options.counters.snapshot() };
    if (method === "POST" && path === "/__stats/reset") {
      await options.resetStats();
      return { status: 200, body: options.counters.snapshot() };
    }
    if (method === "GET" && path === "/__stats/redis") {
      return { status: 200, body: { commandsExecuted: await options.redisCommandsExecuted() } };
    }
    return { status: 404, body: { error: "unknown stats route" } };
  } catch (error) {
    if (error instanceof RedisUnavailableError) return { status: 503, body: { error: error.message } };
    throw error;
  }
}

/** Reads the body; an oversized one is drained (not kept) so the 413 can still be sent. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) chunks = [];
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > maxBodyBytes) reject(new BodyTooLargeError(`ERR request body exceeds ${maxBodyBytes} bytes`));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}
