// A Cloud Storage emulator that the real `@google-cloud/storage` client drives
// unchanged: JSON API, uploads (multipart, media, resumable), media downloads,
// and XML-API public and signed URLs. State is in memory.
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestContext } from "./context.ts";
import { ResumableSessions } from "./resumable.ts";
import { pathSegments, route } from "./router.ts";
import { ObjectStore } from "./store.ts";

export interface GcsEmulator {
  port: number;
  /** `http://127.0.0.1:port`: pass as `apiEndpoint` (or `STORAGE_EMULATOR_HOST`). */
  url: string;
  /** A service account key the emulator accepts signatures from, when it generated one (no `signers` given): pass as the client's `credentials`. */
  signingCredentials: { client_email: string; private_key: string } | undefined;
  close(): Promise<void>;
}

export interface GcsEmulatorOptions {
  /** Port on 127.0.0.1. Default: one the OS picks. */
  port?: number;
  /** Buckets that exist from the start; any other must be created, as on Cloud Storage (a write to a missing bucket is a 404). Default: none. */
  buckets?: string[];
  /**
   * Service accounts whose signed URLs are accepted: email → PEM public key.
   * Signed URLs are always verified, signer included. Default: one account the
   * emulator generates, its key in `signingCredentials`.
   */
  signers?: Record<string, string>;
  /** One line per request. Default: silent. */
  log?: (line: string) => void;
}

export async function startGcsEmulator(options: GcsEmulatorOptions = {}): Promise<GcsEmulator> {
  const log = options.log ?? (() => {});
  const store = new ObjectStore();
  for (const bucket of options.buckets ?? []) if (!store.hasBucket(bucket)) store.createBucket(bucket);
  let signingCredentials: GcsEmulator["signingCredentials"];
  let signers = options.signers;
  if (signers === undefined) {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    signingCredentials = { client_email: "signer@emulator.iam.gserviceaccount.com", private_key: privateKey };
    signers = { [signingCredentials.client_email]: publicKey };
  }
  const signerKeys = new Map(Object.entries(signers));
  const sessions = new ResumableSessions();

  const server = http.createServer((req, res) => {
    const started = Date.now();
    res.on("finish", () => log(`gcs ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    const ctx: RequestContext = {
      req,
      res,
      url: new URL(req.url ?? "/", "http://emulator"),
      segments: pathSegments(req.url ?? "/"),
      baseUrl: `http://${req.headers.host ?? `127.0.0.1:${port}`}`,
      store,
      sessions,
      signers: signerKeys,
    };
    void route(ctx);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    signingCredentials,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
