// A Cloud Storage emulator that the real `@google-cloud/storage` client drives
// unchanged: JSON API, uploads (multipart, media, resumable), media downloads,
// and XML-API public and signed URLs. State is in memory, optionally mirrored
// to a directory.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestContext } from "./context.ts";
import { DiskMirror } from "./disk-mirror.ts";
import { ResumableSessions } from "./resumable.ts";
import { pathSegments, route } from "./router.ts";
import { ObjectStore } from "./store.ts";

export interface GcsEmulator {
  port: number;
  /** `http://127.0.0.1:port`: pass as `apiEndpoint` (or `STORAGE_EMULATOR_HOST`). */
  url: string;
  close(): Promise<void>;
}

export interface GcsEmulatorOptions {
  /** Port on 127.0.0.1. Default: one the OS picks. */
  port?: number;
  /** Create a bucket the first time a request names it, instead of answering 404. Default: false. */
  autoCreateBuckets?: boolean;
  /** Keep buckets and objects in this directory across restarts. Default: memory only. */
  dir?: string;
  /** PEM public key of the signer; when set, signed URL signatures are verified, not just their expiry. Default: unset. */
  signerPublicKeyPem?: string;
  /** One line per request and per persistence failure. Default: silent. */
  log?: (line: string) => void;
}

export async function startGcsEmulator(options: GcsEmulatorOptions = {}): Promise<GcsEmulator> {
  const log = options.log ?? (() => {});
  const mirror = options.dir === undefined ? undefined : new DiskMirror(options.dir, log);
  const store = new ObjectStore({ autoCreateBuckets: options.autoCreateBuckets, mirror });
  await mirror?.load(store);
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
      signerPublicKeyPem: options.signerPublicKeyPem,
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
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await mirror?.flush();
    },
  };
}
