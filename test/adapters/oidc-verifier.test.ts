// The worker's token check as composition.ts builds it: worker and worker-gpu run
// the same code with the same variables, so each accepts a token minted for
// either worker URL (Cloud Run has already checked it is its own), and nothing else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOidcSigner } from "../../emulators/oidc.ts";
import { PEM_CERTS_PATH, startCertsServer, type CertsServer } from "../../emulators/oidc-certs-server.ts";
import { createPlatform } from "../../functions/composition.ts";
import { config } from "../../functions/config.ts";

const signer = createOidcSigner();
const worker = "https://tasks-worker-123.europe-west1.run.app";
const gpuWorker = "https://tasks-worker-gpu-123.europe-west1.run.app";
const account = "tasks-tasks@p.iam.gserviceaccount.com";
let certs: CertsServer;

beforeAll(async () => {
  certs = await startCertsServer(signer);
});
afterAll(() => certs.close());

describe("the workers' OIDC verifier", () => {
  const verifier = () => {
    const cfg = config({ WORKER_URL: worker, WORKER_GPU_URL: gpuWorker, TASKS_SERVICE_ACCOUNT: account, OIDC_CERTS_URL: `http://127.0.0.1:${certs.port}${PEM_CERTS_PATH}` });
    return createPlatform(() => cfg).verifier()!;
  };
  const bearer = (audience: string, email = account) => `Bearer ${signer.sign({ audience, email })}`;

  it("accepts a token for any of them", async () => {
    await expect(verifier().verify(bearer(worker))).resolves.toBe(account);
    await expect(verifier().verify(bearer(gpuWorker))).resolves.toBe(account);
  });

  it("refuses another audience, and another account", async () => {
    await expect(verifier().verify(bearer("https://someone-else.run.app"))).rejects.toThrow(/audience/);
    await expect(verifier().verify(bearer(worker, "intruder@p.iam.gserviceaccount.com"))).rejects.toThrow(/intruder/);
  });
});
