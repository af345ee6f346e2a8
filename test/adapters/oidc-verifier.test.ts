// The worker's token check as composition.ts builds it: worker and worker-gpu run
// the same code with the same variables, so each accepts a token minted for
// either worker URL (Cloud Run has already checked it is its own), and nothing else.
import { OAuth2Client } from "google-auth-library";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createOidcSigner } from "../../emulators/oidc.ts";
import { PEM_CERTS_PATH, startCertsServer, type CertsServer } from "../../emulators/oidc-certs-server.ts";
import { createOidcVerifier } from "../../functions/adapters/google-oidc/verifier.ts";
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

describe("a verified token, remembered until it expires", () => {
  const verifier = () => createOidcVerifier({ audience: worker, serviceAccountEmail: account, certsUrl: `http://127.0.0.1:${certs.port}${PEM_CERTS_PATH}` });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("is checked once however many deliveries carry it", async () => {
    const check = vi.spyOn(OAuth2Client.prototype, "verifyIdToken");
    const oidc = verifier();
    const token = `Bearer ${signer.sign({ audience: worker, email: account })}`;
    for (let i = 0; i < 3; i++) await expect(oidc.verify(token)).resolves.toBe(account);
    expect(check).toHaveBeenCalledTimes(1);
    // Another token is checked on its own, and refused on its own merits.
    await expect(oidc.verify(`Bearer ${signer.sign({ audience: "https://someone-else.run.app", email: account })}`)).rejects.toThrow(/audience/);
    await expect(oidc.verify(`Bearer ${signer.sign({ audience: worker, email: "intruder@p.iam.gserviceaccount.com" })}`)).rejects.toThrow(/intruder/);
    await expect(oidc.verify(`${token}x`)).rejects.toThrow();
    expect(check).toHaveBeenCalledTimes(4);
  });

  it("is refused once expired (past Google's five minutes of clock skew), though it passed before", async () => {
    const oidc = verifier();
    const token = `Bearer ${signer.sign({ audience: worker, email: account, lifetimeSeconds: 60 })}`;
    await expect(oidc.verify(token)).resolves.toBe(account);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (60 + 301) * 1000 });
    await expect(oidc.verify(token)).rejects.toThrow(/late|expired/i);
  });
});
