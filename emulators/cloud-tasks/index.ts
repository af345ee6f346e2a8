// A Cloud Tasks emulator: google.cloud.tasks.v2.CloudTasks over gRPC on loopback, dispatching HTTP
// tasks with the real service's headers, limits, rate limits, retries and OIDC tokens. The real
// client reaches it with `new CloudTasksClient(cloudTasksClientOptions(port))`. What it implements,
// refuses and relaxes: README.md beside this file.
import { status } from "@grpc/grpc-js";
import { AttemptSender, clientOptions, RpcError, serveGrpc } from "../google-common.ts";
import { createOidcSigner, type OidcSigner } from "../oidc.ts";
import { CONTROL_PATH, JWKS_PATH, PEM_CERTS_PATH, startCertsServer } from "../oidc-certs-server.ts";
import { cloudTasksService } from "./service.ts";
import { DEADLINE_RANGE_MS, type TaskRecord } from "./task.ts";

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
  /** Seconds a finished or deleted task's chosen name stays reserved. Default 3600 (the service's ~1 hour). */
  tombstoneSeconds?: number;
  /**
   * Seconds a deleted queue's name stays reserved. Default 259200, the service's "up to 3 days"
   * (DeleteQueue): a dev loop that deletes and re-creates a queue fails here as it would there.
   * Relaxation for tests that re-create queues on purpose.
   */
  queueTombstoneSeconds?: number;
  /**
   * Shortest dispatch_deadline CreateTask accepts, in seconds. Default 15, the service's lower
   * bound. Relaxation for tests that exercise the deadline and cannot wait 15 s for it.
   */
  minDispatchDeadlineSeconds?: number;
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
export const cloudTasksClientOptions = clientOptions;

// Signing RSA costs about a millisecond: a token is reused for a few minutes per (audience,
// account), as Google's own live an hour.
const TOKEN_REUSE_MS = 5 * 60_000;

export async function startCloudTasksEmulator(options: CloudTasksEmulatorOptions = {}): Promise<CloudTasksEmulator> {
  const log = options.log ?? (() => {});
  const signer = options.signer ?? createOidcSigner();
  const sender = new AttemptSender();
  const tokens = new Map<string, { bearer: string; issuedMs: number }>();
  const authorization = (task: TaskRecord, nowMs: number): string | undefined => {
    // Google access tokens cannot be minted here; the target gets a marker instead.
    if (task.oauthToken) return `Bearer emulator-oauth-token-for-${task.oauthToken.serviceAccountEmail}`;
    if (!task.oidcToken) return undefined;
    const audience = task.oidcToken.audience || task.url;
    const key = `${audience}\n${task.oidcToken.serviceAccountEmail}`;
    const cached = tokens.get(key);
    if (cached && nowMs - cached.issuedMs < TOKEN_REUSE_MS) return cached.bearer;
    if (tokens.size >= 1000) tokens.clear();
    const bearer = `Bearer ${signer.sign({ audience, email: task.oidcToken.serviceAccountEmail })}`;
    tokens.set(key, { bearer, issuedMs: nowMs });
    return bearer;
  };

  // The service refusing CreateTask for a while, as when it is overloaded (npm run faults; emulators/README.md).
  let refusingUntil = 0;
  let refused = 0;
  const refuseFor = (seconds: number) => {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error("seconds must be a number >= 0");
    refusingUntil = seconds > 0 ? Date.now() + seconds * 1000 : 0;
  };

  const service = cloudTasksService({
    maxRateCap: options.maxDispatchesPerSecondCap ?? 500,
    taskTombstoneMs: (options.tombstoneSeconds ?? 3600) * 1000,
    queueTombstoneMs: (options.queueTombstoneSeconds ?? 3 * 86_400) * 1000,
    minDeadlineMs: options.minDispatchDeadlineSeconds !== undefined ? options.minDispatchDeadlineSeconds * 1000 : DEADLINE_RANGE_MS[0],
    context: { sender, authorization, log },
    checkCreateTask(nowMs) {
      if (nowMs >= refusingUntil) return;
      refused += 1;
      throw new RpcError(status.UNAVAILABLE, "The service is currently unavailable.");
    },
  });
  const certs = await startCertsServer(signer, options.certsPort, {
    "refuse-create-task": (body) => refuseFor(Number((body as { seconds?: unknown }).seconds ?? 0)),
  });
  const server = await serveGrpc("@google-cloud/tasks", "google.cloud.tasks.v2.CloudTasks", service.handlers, options.port, log)
    .catch(async (error: unknown) => {
      await certs.close();
      throw error;
    });

  let closing: Promise<void> | undefined;
  return {
    port: server.port,
    endpoint: `127.0.0.1:${server.port}`,
    certsUrl: `http://127.0.0.1:${certs.port}${PEM_CERTS_PATH}`,
    jwksUrl: `http://127.0.0.1:${certs.port}${JWKS_PATH}`,
    refuseCreateTask: refuseFor,
    refusals: () => refused,
    controlUrl: `http://127.0.0.1:${certs.port}${CONTROL_PATH}`,
    close() {
      closing ??= (async () => {
        service.close();
        sender.close();
        server.close();
        await certs.close();
      })();
      return closing;
    },
  };
}
