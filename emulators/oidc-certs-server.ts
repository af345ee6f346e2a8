// Serves an emulator's OIDC public keys on loopback (Cloud Tasks and Cloud Scheduler), in the two formats
// verifiers read: Google's v1 {kid: PEM} (google-auth-library's
// oauth2FederatedSignonPemCertsUrl) and a v3 JWK set (jose and friends).
import { createPublicKey } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { OidcSigner } from "./oidc.ts";

export const PEM_CERTS_PATH = "/oauth2/v1/certs";
export const JWKS_PATH = "/oauth2/v3/certs";

export interface CertsServer { port: number; close(): Promise<void> }

function jwks(signer: OidcSigner): string {
  const keys = Object.entries(JSON.parse(signer.certsJson()) as Record<string, string>).map(([kid, pem]) => ({
    ...createPublicKey(pem).export({ format: "jwk" }),
    kid,
    alg: "RS256",
    use: "sig",
  }));
  return JSON.stringify({ keys });
}

export async function startCertsServer(signer: OidcSigner, port = 0): Promise<CertsServer> {
  const bodies: Record<string, string> = { [PEM_CERTS_PATH]: signer.certsJson(), [JWKS_PATH]: jwks(signer) };
  const server = http.createServer((request, response) => {
    const body = bodies[new URL(request.url ?? "/", "http://localhost").pathname];
    if (request.method !== "GET" || body === undefined) {
      response.writeHead(404).end();
      return;
    }
    // google-auth-library caches the certs for max-age.
    response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "public, max-age=3600" });
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
