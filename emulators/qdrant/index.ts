// A Qdrant stand-in for the local stack and the tests: enough of Qdrant's REST
// API, in memory, for @qdrant/js-client-rest to run unchanged against it.
import type { AddressInfo } from "node:net";
import { CollectionStore } from "./collection.ts";
import { qdrantRoutes } from "./routes.ts";
import { createQdrantServer } from "./server.ts";

export interface QdrantEmulator {
  port: number;
  /** Base URL for `new QdrantClient({ url })`. */
  url: string;
  close(): Promise<void>;
}

export interface QdrantEmulatorOptions {
  /** Port on 127.0.0.1. Default: 0, a free port chosen by the OS. */
  port?: number;
  /** Receives one line per request ("PUT /collections/x/points?wait=true 200"). Default: silent. */
  log?: (line: string) => void;
  /**
   * Version reported by `GET /`. The client warns unless major versions match
   * and minors differ by at most one, so the default follows the installed
   * @qdrant/js-client-rest (1.19). Default: "1.19.0".
   */
  version?: string;
}

export async function startQdrantEmulator(options: QdrantEmulatorOptions = {}): Promise<QdrantEmulator> {
  const server = createQdrantServer(qdrantRoutes(options.version ?? "1.19.0"), new CollectionStore(), options.log);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The client keeps pooled keep-alive connections; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
