// A Cloud Scheduler emulator: the real @google-cloud/scheduler client drives it over
// gRPC, and it calls HTTP targets at their cron slots with the headers and OIDC tokens
// the real service sends. HTTP targets only; jobs live in memory.
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { createOidcSigner } from "../oidc.ts";
import { freePort } from "../ports.ts";
import { PEM_CERTS_PATH, startCertsServer } from "../oidc-certs-server.ts";
import type { DefinitionLimits } from "./job-definition.ts";
import { createJobRunner, type JobStore } from "./job-runner.ts";
import { loadCloudSchedulerService } from "./proto.ts";
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
  /** gRPC port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** One line per attempt and per shutdown. Default: silent. */
  log?: (line: string) => void;
}

export async function startCloudSchedulerEmulator(
  options: CloudSchedulerEmulatorOptions = {},
): Promise<CloudSchedulerEmulator> {
  const { log = () => {}, allowSecondsCron, allowShortAttemptDeadline } = options;
  const signer = createOidcSigner();
  const certs = await startCertsServer(signer);
  const jobs: JobStore = new Map();
  const runner = createJobRunner(jobs, signer, log);
  const server = new Server();
  server.addService(
    loadCloudSchedulerService(),
    cloudSchedulerService(jobs, runner, { allowSecondsCron, allowShortAttemptDeadline }),
  );
  const requested = options.port ?? (await freePort());
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${requested}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  } catch (error) {
    await Promise.all([runner.close(), certs.close()]);
    throw error;
  }

  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    certsUrl: `http://127.0.0.1:${certs.port}${PEM_CERTS_PATH}`,
    async close() {
      await runner.close();
      await new Promise<void>((resolve) => {
        // Clients that keep a channel open would hold tryShutdown; do not wait on them.
        const force = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await certs.close();
      log("cloud scheduler emulator stopped");
    },
  };
}
