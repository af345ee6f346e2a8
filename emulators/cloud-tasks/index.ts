// A Cloud Tasks emulator: google.cloud.tasks.v2.CloudTasks over gRPC on
// loopback, dispatching HTTP tasks with the real service's headers, rate
// limits, retries and OIDC tokens. The real client reaches it with
//
//   new CloudTasksClient({
//     apiEndpoint: "127.0.0.1", port,
//     // Plain-text gRPC. google-gax uses sslCreds as the channel credentials
//     // as they are, so no token is fetched or attached.
//     sslCreds: grpc.credentials.createInsecure(),
//     // Without it google-gax asks google-auth for the universe domain, which
//     // looks for credentials and probes the GCE metadata server.
//     universeDomain: "googleapis.com",
//   })
//
// (see cloudTasksClientOptions below).
import * as grpc from "@grpc/grpc-js";
import { createOidcSigner, type OidcSigner } from "../oidc.ts";
import { CONTROL_PATH, JWKS_PATH, PEM_CERTS_PATH, startCertsServer } from "../oidc-certs-server.ts";
import { AttemptSender } from "./http-attempt.ts";
import { IdTokenCache } from "./id-tokens.ts";
import { loadCloudTasksService } from "./proto.ts";
import { QueueRegistry } from "./queue-registry.ts";
import { cloudTasksImplementation } from "./service.ts";
import { CreateTaskFaults } from "./faults.ts";

export interface CloudTasksEmulator {
  port: number;
  /** "127.0.0.1:port" */
  endpoint: string;
  /** Google-style {kid: PEM} certs, for google-auth-library's OAuth2Client. */
  certsUrl: string;
  /** The same keys as a JWK set. */
  jwksUrl: string;
  /** Fault control: refuse every CreateTask with UNAVAILABLE for `seconds` (0 ends it). Also POST {controlUrl}/refuse-create-task {"seconds": N}. */
  refuseCreateTask(seconds: number): void;
  /** CreateTasks refused by that control so far. */
  refusals(): number;
  /** HTTP fault controls (emulators/README.md). */
  controlUrl: string;
  close(): Promise<void>;
}

export interface CloudTasksEmulatorOptions {
  /** gRPC port on 127.0.0.1. Default: one the OS picks. */
  port?: number;
  /** Seconds a finished or deleted task's name stays reserved. Default 3600 (the service's ~1 hour). */
  tombstoneSeconds?: number;
  /** Seconds a deleted queue's name stays reserved. Default 0: the service's ~7 days would only get in a dev loop's way. */
  queueTombstoneSeconds?: number;
  /** Highest max_dispatches_per_second a queue may ask for. Default 500, the service's limit; benchmarks may raise it. */
  maxDispatchesPerSecondCap?: number;
  /** Port of the certs server. Default: one the OS picks. */
  certsPort?: number;
  /** Signs the OIDC tokens. Default: a fresh key pair per emulator. */
  signer?: OidcSigner;
  /** Lifecycle and failed-attempt lines. Default: none. */
  log?: (line: string) => void;
}

/** The options `new CloudTasksClient(...)` needs to reach an emulator at `port`. */
export function cloudTasksClientOptions(port: number) {
  return {
    apiEndpoint: "127.0.0.1",
    port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: "googleapis.com",
  };
}

export async function startCloudTasksEmulator(options: CloudTasksEmulatorOptions = {}): Promise<CloudTasksEmulator> {
  const log = options.log ?? (() => {});
  const signer = options.signer ?? createOidcSigner();
  const sender = new AttemptSender();
  const registry = new QueueRegistry({
    maxRateCap: options.maxDispatchesPerSecondCap ?? 500,
    taskTombstoneMs: (options.tombstoneSeconds ?? 3600) * 1000,
    queueTombstoneMs: (options.queueTombstoneSeconds ?? 0) * 1000,
    context: { sender, idTokens: new IdTokenCache(signer), log },
  });

  const faults = new CreateTaskFaults();
  const certs = await startCertsServer(signer, options.certsPort, {
    "refuse-create-task": (body) => faults.refuseFor(Number((body as { seconds?: unknown }).seconds ?? 0)),
  });
  const server = new grpc.Server();
  server.addService(loadCloudTasksService(), cloudTasksImplementation(registry, log, faults));
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  } catch (error) {
    server.forceShutdown();
    await certs.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    certsUrl: `http://127.0.0.1:${certs.port}${PEM_CERTS_PATH}`,
    jwksUrl: `http://127.0.0.1:${certs.port}${JWKS_PATH}`,
    refuseCreateTask: (seconds) => faults.refuseFor(seconds),
    refusals: () => faults.refused,
    controlUrl: `http://127.0.0.1:${certs.port}${CONTROL_PATH}`,
    close() {
      closing ??= (async () => {
        registry.close();
        sender.close();
        // Clients keep their channels open; waiting for them would never end.
        server.forceShutdown();
        await certs.close();
      })();
      return closing;
    },
  };
}
