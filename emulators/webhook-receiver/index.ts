// A stand-in for the user system that receives notifications and callbacks:
// it checks each signature, keeps what it got, and can be told to fail.
// Notifications carry X-Signature (the notification secret); callbacks carry the
// Standard Webhooks headers, signed with their tenant's callback secret.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../../functions/adapters/webhook/signature.ts";
import { verifyStandardWebhook } from "../../functions/adapters/webhook/standard-webhooks.ts";
import { CONTROL_PREFIX, ReceiverFaults } from "./faults.ts";

/** A fail control naming a count of requests (`times`), rather than a while (`seconds`). */
const countsFailures = (raw: string): boolean => {
  try {
    return typeof (JSON.parse(raw) as { times?: unknown }).times === "number";
  } catch {
    return false;
  }
};

type WebhookKind = "notification" | "callback" | "unsigned";

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  raw: string;
  /** Which signature it carries: X-Signature (notification), webhook-signature (callback), or none. */
  kind: WebhookKind;
  /** The signature it carries verifies (and a callback's with one of the known tenants' secrets). */
  signatureValid: boolean;
  /** For a valid callback: the tenant whose secret signed it. */
  tenant?: string;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received(): ReceivedWebhook[];
  clear(): void;
  /** Answer the next `times` requests (to `path` only, when given) with `status` (e.g. 500, 400); also POST /__control/fail {status, times, path?}. */
  failNext(status: number, times: number, path?: string): void;
  /** Fault control: answer every request with `status` (e.g. 503) for `seconds`, keeping none. Also POST /__control/fail {"status", "seconds"}. */
  failFor(status: number, seconds: number): void;
  /** Fault control: hold every request unanswered for `seconds`, then drop the connection, keeping none (a sender's timeout). Also POST /__control/hang {"seconds"}. */
  hangFor(seconds: number): void;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** The notification secret (NOTIFY_WEBHOOK_SECRET). */
  secret: string;
  /** Each tenant's callback secret (whsec_…), tenant → secret. Default none: every callback is invalid. */
  callbackSecrets?: Record<string, string>;
  port?: number;
  log?: (line: string) => void;
}

/** Which kind of signed webhook a request is, and whether its signature verifies. */
function verifyReceived(options: WebhookReceiverOptions, headers: http.IncomingHttpHeaders, raw: string): Pick<ReceivedWebhook, "kind" | "signatureValid" | "tenant"> {
  if (headers["webhook-signature"] !== undefined) {
    const tenant = Object.entries(options.callbackSecrets ?? {}).find(([, secret]) => verifyStandardWebhook(secret, headers, raw))?.[0];
    return { kind: "callback", signatureValid: tenant !== undefined, ...(tenant !== undefined ? { tenant } : {}) };
  }
  const signature = headers["x-signature"];
  if (typeof signature === "string") return { kind: "notification", signatureValid: verifySignature(options.secret, raw, signature) };
  return { kind: "unsigned", signatureValid: false };
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  // Every delivery attempt, answered or failed on purpose: retries show here with their ids.
  const attempts: { path: string; id: string; status: number }[] = [];
  let failures: { status: number; times: number; path?: string } | null = null;
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
      if (req.method === "GET" && req.url === "/__attempts") {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(attempts));
        return;
      }
      const deliveryId = String(req.headers["webhook-id"] ?? req.headers["x-delivery-id"] ?? "");
      // Time-based faults ({"status", "seconds"} and hang); a count ({"status", "times", "path"?}) is below.
      if (req.method === "POST" && req.url?.startsWith(CONTROL_PREFIX) && !(req.url === "/__control/fail" && countsFailures(raw))) {
        faults.control(req.url.slice(CONTROL_PREFIX.length), raw, res);
        return;
      }
      if (faults.intercept(req, res)) return;
      if (req.method === "POST" && req.url === "/__control/fail") {
        try {
          const { status, times, path } = JSON.parse(raw) as { status: number; times: number; path?: string };
          failures = { status, times, ...(path ? { path } : {}) };
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end();
        }
        return;
      }
      if (failures && failures.times > 0 && (!failures.path || failures.path === req.url)) {
        failures.times -= 1;
        attempts.push({ path: req.url ?? "/", id: deliveryId, status: failures.status });
        res.writeHead(failures.status).end();
        return;
      }
      let body: unknown = raw;
      try { body = JSON.parse(raw); } catch { /* kept as text */ }
      const verdict = verifyReceived(options, req.headers, raw);
      const { signatureValid } = verdict;
      received.push({ path: req.url ?? "/", headers: req.headers, body, raw, ...verdict, at: Date.now() });
      attempts.push({ path: req.url ?? "/", id: deliveryId, status: signatureValid ? 204 : 401 });
      options.log?.(`${verdict.kind} ${req.url} ${deliveryId} signature ${signatureValid ? `valid${verdict.tenant ? ` (tenant ${verdict.tenant})` : ""}` : "INVALID"}`);
      res.writeHead(signatureValid ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received: () => [...received],
    clear: () => void ((received.length = 0), (attempts.length = 0)),
    failNext: (status, times, path) => void (failures = { status, times, ...(path ? { path } : {}) }),
    failFor: (status, seconds) => faults.failFor(status, seconds),
    hangFor: (seconds) => faults.hangFor(seconds),
    close: () => new Promise((resolve) => { faults.release(); server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
