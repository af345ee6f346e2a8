// A closed-loop HTTP load client: `concurrency` clients, each sending its next
// request as soon as the previous answer is read, on keep-alive connections.
// It runs in the bench process, which on the local stack also hosts the Upstash
// bridge and the Cloud Tasks emulator: the report says so.
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  body: string;
}

export interface LoadOptions {
  baseUrl: string;
  total: number;
  concurrency: number;
  /** The i-th request (0-based). */
  request: (i: number) => LoadRequest;
  /** Called with every answer, e.g. to collect task ids. */
  onAnswer?: (i: number, answer: Answer, sentAt: number) => void;
}

export interface LoadResult {
  total: number;
  /** Answers outside 2xx, and requests that got no answer. */
  failures: number;
  statuses: Record<string, number>;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
}

/** One request on `agent`; resolves with the status and the whole body. */
export function send(agent: http.Agent, baseUrl: string, request: LoadRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.path, baseUrl);
    const body = request.body;
    const headers: Record<string, string | number> = { ...request.headers };
    if (body !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    const req = http.request(url, { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export function keepAliveAgent(concurrency: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = keepAliveAgent(options.concurrency);
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  let next = 0;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.total) return;
      const sentAt = performance.now();
      let answer: Answer;
      try {
        answer = await send(agent, options.baseUrl, options.request(i));
      } catch (error) {
        failures += 1;
        const key = `error: ${(error as Error).message.slice(0, 60)}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        continue;
      }
      latenciesMs.push(performance.now() - sentAt);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status < 200 || answer.status >= 300) failures += 1;
      options.onAnswer?.(i, answer, sentAt);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { total: options.total, failures, statuses, seconds, perSecond: options.total / seconds, latenciesMs };
}
