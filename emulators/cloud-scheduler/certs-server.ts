// Serves the emulator's OIDC public keys where google-auth-library's OAuth2Client looks
// for Google's (endpoints.oauth2FederatedSignonPemCertsUrl), so targets verify the
// tokens the emulator signs without knowing it is an emulator.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { OidcSigner } from "../oidc.ts";

export const CERTS_PATH = "/oauth2/v1/certs";

export async function serveCerts(signer: OidcSigner): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method !== "GET" || request.url !== CERTS_PATH) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=3600" });
    response.end(signer.certsJson());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${CERTS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
