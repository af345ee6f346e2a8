// Serves an emulator's OIDC public keys on loopback (Cloud Tasks and Cloud Scheduler), in the two formats
// verifiers read: Google's v1 {kid: PEM} (google-auth-library's
// oauth2FederatedSignonPemCertsUrl) and a v3 JWK set (jose and friends).
import { createPublicKey } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { OidcSigner } from "./oidc.ts";

export const PEM_CERTS_PATH = "/oauth2/v1/certs";
export const JWKS_PATH = "/oauth2/v3/certs";
/** Where an emulator's HTTP fault controls live: POST {CONTROL_PATH}/{name} with a JSON body. */
export const CONTROL_PATH = "/__control";

/** Fault controls by name; each gets the JSON body of its POST. */
export type Controls = Record<string, (body: unknown) => void>;

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

export async function startCertsServer(signer: OidcSigner, port = 0, controls: Controls = {}): Promise<CertsServer> {
  const bodies: Record<string, string> = { [PEM_CERTS_PATH]: signer.certsJson(), [JWKS_PATH]: jwks(signer) };
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    const control = request.method === "POST" && pathname.startsWith(`${CONTROL_PATH}/`) ? controls[pathname.slice(CONTROL_PATH.length + 1)] : undefined;
    if (control) {
      answerControl(request, response, control);
      return;
    }
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

function answerControl(request: http.IncomingMessage, response: http.ServerResponse, control: (body: unknown) => void): void {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    try {
      control(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      response.writeHead(204).end();
    } catch (error) {
      response.writeHead(400, { "Content-Type": "text/plain" }).end(`bad control request: ${(error as Error).message}`);
    }
  });
}
