// Sends one task attempt over HTTP(S) on keep-alive connections and reports
// what came of it: a status code, or no response (deadline, network error).
import http from "node:http";
import https from "node:https";

export interface OutgoingAttempt {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  deadlineMs: number;
}

export type AttemptOutcome =
  /** retryAfterSeconds: the target's Retry-After (delay-seconds form), which Cloud Tasks considers on 429 and 503. */
  | { kind: "response"; httpStatus: number; retryAfterSeconds?: number }
  | { kind: "deadline" }
  | { kind: "network"; detail: string };

export class AttemptSender {
  // Keep-alive matters: at a thousand tasks a second, a TCP handshake per
  // attempt would cost more than the attempt.
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxFreeSockets: 256 });
  private readonly inFlight = new Set<http.ClientRequest>();

  send(attempt: OutgoingAttempt): Promise<AttemptOutcome> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(attempt.url);
      } catch {
        resolve({ kind: "network", detail: `invalid URL ${attempt.url}` });
        return;
      }
      const secure = url.protocol === "https:";
      let request: http.ClientRequest;
      try {
        request = (secure ? https : http).request(url, {
          method: attempt.method,
          headers: attempt.headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
        });
      } catch (error) {
        resolve({ kind: "network", detail: error instanceof Error ? error.message : String(error) });
        return;
      }
      this.inFlight.add(request);
      let settled = false;
      const settle = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.inFlight.delete(request);
        resolve(outcome);
      };
      // The deadline covers the whole exchange, body included; past it the
      // request is cancelled, whatever the worker goes on doing.
      const deadline = setTimeout(() => {
        settle({ kind: "deadline" });
        request.destroy();
      }, attempt.deadlineMs);
      request.on("response", (response) => {
        response.resume();
        const retryAfter = Number(response.headers["retry-after"]);
        const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
        response.on("close", () => settle({ kind: "response", httpStatus: response.statusCode ?? 0, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) }));
      });
      request.on("error", (error) => settle({ kind: "network", detail: error.message }));
      request.end(attempt.body.length > 0 ? attempt.body : undefined);
    });
  }

  /** Cancels every attempt in flight and drops the pooled connections. */
  close(): void {
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
