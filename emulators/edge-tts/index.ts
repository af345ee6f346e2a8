// Edge TTS stand-in: the Microsoft Edge read-aloud service on loopback. It
// speaks the service's WebSocket protocol (so the real msedge-tts client runs
// unchanged against it), answers with real MP3 audio, serves the voice list,
// and can act out the service's failures on demand.
//
//   GET  /consumer/speech/synthesize/readaloud/voices/list?trustedclienttoken=…
//   WS   /consumer/speech/synthesize/readaloud/edge/v1?TrustedClientToken=…&Sec-MS-GEC=…&ConnectionId=…
//   GET  /__control/state, POST /__control/fault   (ours: see ./control.ts)
//
// Point msedge-tts at it with createEdgeTtsClient() from
// functions/adapters/edge-tts/client-endpoint.ts (the adapter uses the same shim).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import { serveConnection } from "./connection.ts";
import { controlPrefix, serveControl } from "./control.ts";
import type { EdgeTtsFault } from "./faults.ts";
import { checkHandshake, trustedClientToken, voicesPath } from "./handshake.ts";
import { edgeVoices } from "./voices.ts";

export interface EdgeTtsEmulatorOptions {
  /** Port on 127.0.0.1. Default: 0, a free port chosen by the OS. */
  port?: number;
  /** Receives one line per notable event (refused upgrades, failed turns). Default: silent. */
  log?: (line: string) => void;
  /** How long the "slow" fault waits before each message of a turn. Default: 250 ms. */
  slowFrameDelayMs?: number;
}

export interface EdgeTtsEmulator {
  port: number;
  /** http://127.0.0.1:PORT — the base both paths above hang from. */
  url: string;
  /** Acts out a failure on every later connection (refuse) or turn (the others); null restores service. */
  setFault(kind: EdgeTtsFault | null): void;
  /** ssml requests received so far, whatever became of them: what a cache hit should not add to. */
  syntheses(): number;
  /** Terminates every socket and stops listening. */
  close(): Promise<void>;
}

export async function startEdgeTtsEmulator(options: EdgeTtsEmulatorOptions = {}): Promise<EdgeTtsEmulator> {
  const log = options.log ?? (() => {});
  let fault: EdgeTtsFault | null = null;
  let syntheses = 0;
  const service = {
    fault: () => fault,
    slowFrameDelayMs: options.slowFrameDelayMs ?? 250,
    countSynthesis: () => void syntheses++,
    log,
  };

  const sockets = new Set<WebSocket>();
  // 64 KiB per message: the limit Edge clients (edge-tts) split long text to fit under.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 65_536 });
  const control = {
    fault: () => fault,
    setFault: (kind: EdgeTtsFault | null) => void (fault = kind),
    syntheses: () => syntheses,
  };
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith(controlPrefix)) serveControl(request, response, control);
    else serveHttp(request, response);
  });

  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? "/", "http://edge-tts.local");
    const verdict = fault === "refuse"
      ? { ok: false as const, status: 403 as const, reason: "refuse fault is set" }
      : checkHandshake(url, Date.now());
    // A client that resets mid-handshake must not take the emulator down.
    socket.on("error", (error) => log(`edge-tts: upgrade socket error: ${error.message}`));
    if (!verdict.ok) {
      log(`edge-tts: upgrade refused with ${verdict.status}: ${verdict.reason}`);
      const status = verdict.status === 403 ? "403 Forbidden" : "404 Not Found";
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
      ws.on("error", (error) => log(`edge-tts: connection error: ${error.message}`));
      serveConnection(ws, service);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setFault: control.setFault,
    syntheses: control.syntheses,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveHttp(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://edge-tts.local");
  if (url.pathname !== voicesPath) {
    response.writeHead(404).end();
  } else if (request.method !== "GET") {
    response.writeHead(405, { Allow: "GET" }).end();
  } else if (url.searchParams.get("trustedclienttoken") !== trustedClientToken) {
    response.writeHead(403).end();
  } else {
    response.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(edgeVoices));
  }
}
