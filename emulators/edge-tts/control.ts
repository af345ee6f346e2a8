// A small HTTP control surface for tests and `npm run dev` that cannot reach
// the emulator object (it runs in another process, e.g. vitest's global setup):
//
//   GET  /__control/state            → {fault, syntheses}
//   POST /__control/fault {"fault": "refuse" | "close-mid-stream" | "no-audio" | "slow" | null}
//
// The server listens on 127.0.0.1 only; the real service has no such paths.
import type http from "node:http";
import { EdgeTtsFault } from "./faults.ts";

export const controlPrefix = "/__control/";

export interface ControlledService {
  fault(): EdgeTtsFault | null;
  setFault(kind: EdgeTtsFault | null): void;
  syntheses(): number;
}

export function serveControl(request: http.IncomingMessage, response: http.ServerResponse, service: ControlledService): void {
  const path = new URL(request.url ?? "/", "http://edge-tts.local").pathname;
  const reply = (status: number, body: unknown) =>
    response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
  if (path === `${controlPrefix}state` && request.method === "GET") {
    reply(200, { fault: service.fault(), syntheses: service.syntheses() });
    return;
  }
  if (path !== `${controlPrefix}fault`) {
    reply(404, { error: `no control path ${path}` });
    return;
  }
  if (request.method !== "POST") {
    response.writeHead(405, { Allow: "POST" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    let fault: unknown;
    try {
      fault = (JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { fault?: unknown }).fault ?? null;
    } catch {
      reply(400, { error: "the body is not JSON" });
      return;
    }
    if (fault !== null && !(EdgeTtsFault as readonly unknown[]).includes(fault)) {
      reply(400, { error: `fault must be null or one of ${EdgeTtsFault.join(", ")}` });
      return;
    }
    service.setFault(fault as EdgeTtsFault | null);
    reply(200, { fault: service.fault(), syntheses: service.syntheses() });
  });
}
