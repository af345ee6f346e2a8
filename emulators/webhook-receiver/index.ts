// A stand-in for the user system that receives notifications and callbacks:
// it checks each signature, keeps what it got, and can be told to fail.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../../functions/adapters/webhook/signature.ts";
import { CONTROL_PREFIX, ReceiverFaults } from "./faults.ts";

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  raw: string;
  signatureValid: boolean;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received(): ReceivedWebhook[];
  clear(): void;
  /** Answer the next `times` requests with `status` (e.g. 500, 400). */
  failNext(status: number, times: number): void;
  /** Fault control: answer every request with `status` (e.g. 503) for `seconds`, keeping none. Also POST /__control/fail {"status", "seconds"}. */
  failFor(status: number, seconds: number): void;
  /** Fault control: hold every request unanswered for `seconds`, then drop the connection, keeping none (a sender's timeout). Also POST /__control/hang {"seconds"}. */
  hangFor(seconds: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { secret: string; port?: number; log?: (line: string) => void }): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures: { status: number; times: number } | null = null;
  const faults = new ReceiverFaults();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (req.method === "GET" && req.url === "/__received") {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(received));
        return;
      }
      if (req.method === "POST" && req.url?.startsWith(CONTROL_PREFIX)) {
        faults.control(req.url.slice(CONTROL_PREFIX.length), raw, res);
        return;
      }
      if (faults.intercept(req, res)) return;
      if (failures && failures.times > 0) {
        failures.times -= 1;
        res.writeHead(failures.status).end();
        return;
      }
      let body: unknown = raw;
      try { body = JSON.parse(raw); } catch { /* kept as text */ }
      const signature = req.headers["x-signature"];
      const signatureValid = typeof signature === "string" && verifySignature(options.secret, raw, signature);
      received.push({ path: req.url ?? "/", headers: req.headers, body, raw, signatureValid, at: Date.now() });
      options.log?.(`webhook ${req.url} ${req.headers["x-event"] ?? ""} signature ${signatureValid ? "valid" : "INVALID"}`);
      res.writeHead(signatureValid ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received: () => [...received],
    clear: () => void (received.length = 0),
    failNext: (status, times) => void (failures = { status, times }),
    failFor: (status, seconds) => faults.failFor(status, seconds),
    hangFor: (seconds) => faults.hangFor(seconds),
    close: () => new Promise((resolve) => { faults.release(); server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
