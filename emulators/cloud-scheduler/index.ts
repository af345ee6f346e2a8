// A Cloud Scheduler emulator: the real @google-cloud/scheduler client drives it over gRPC, and it
// calls HTTP targets at their slots with the headers and OIDC tokens the real service sends. HTTP
// targets only; jobs live in memory. What it implements, refuses and relaxes: README.md beside this file.
import { serveGrpc } from "../google-common.ts";
import { createOidcSigner } from "../oidc.ts";
import { PEM_CERTS_PATH, startCertsServer } from "../oidc-certs-server.ts";
import type { DefinitionLimits } from "./job.ts";
import { createJobRunner, type JobStore } from "./runner.ts";
import { cloudSchedulerService } from "./service.ts";

export interface CloudSchedulerEmulator {
  port: number;
  /** host:port for the client's apiEndpoint/port options. */
  endpoint: string;
  /** Where the public keys of the OIDC tokens it signs are served (kid → PEM). */
  certsUrl: string;
  /** Stops the timer, aborts attempts in flight, closes both servers. */
  close(): Promise<void>;
}

export interface CloudSchedulerEmulatorOptions extends DefinitionLimits {
  /** gRPC port on 127.0.0.1. Default: one the OS picks. */
  port?: number;
  /** One line per attempt. Default: silent. */
  log?: (line: string) => void;
}

export async function startCloudSchedulerEmulator(options: CloudSchedulerEmulatorOptions = {}): Promise<CloudSchedulerEmulator> {
  const { log = () => {}, allowSecondsCron, allowShortAttemptDeadline } = options;
  const signer = createOidcSigner();
  const certs = await startCertsServer(signer);
  const jobs: JobStore = new Map();
  const runner = createJobRunner(jobs, signer, log);
  const handlers = cloudSchedulerService(jobs, runner, { allowSecondsCron, allowShortAttemptDeadline });
  const server = await serveGrpc("@google-cloud/scheduler", "google.cloud.scheduler.v1.CloudScheduler", handlers, options.port, log)
    .catch(async (error: unknown) => {
      await Promise.all([runner.close(), certs.close()]);
      throw error;
    });
  return {
    port: server.port,
    endpoint: `127.0.0.1:${server.port}`,
    certsUrl: `http://127.0.0.1:${certs.port}${PEM_CERTS_PATH}`,
    async close() {
      await runner.close();
      server.close();
      await certs.close();
    },
  };
}
