// One client connection: speech.config sets the output format and which
// boundaries to report for later turns; each ssml message is a turn, run one
// after another as the service does on a single connection.
import type { WebSocket } from "ws";
import type { EdgeTtsFault } from "./faults.ts";
import { defaultOutputFormat } from "./output-formats.ts";
import { closeInvalid, runTurn } from "./turn.ts";
import { parseTextMessage } from "./wire.ts";

export interface ServiceState {
  fault(): EdgeTtsFault | null;
  slowFrameDelayMs: number;
  countSynthesis(): void;
  log(line: string): void;
}

export function serveConnection(socket: WebSocket, service: ServiceState): void {
  let outputFormat: string = defaultOutputFormat;
  let wordBoundaries = false;
  let sentenceBoundaries = false;
  let turns = Promise.resolve();

  socket.on("message", (data, isBinary) => {
    if (isBinary) return; // clients send only text; the service ignores anything else
    const { headers, body } = parseTextMessage(data.toString());
    const path = headers.get("path");
    if (path === "speech.config") {
      const config = readSpeechConfig(body);
      if (!config) {
        closeInvalid(socket, "speech.config is not valid JSON.");
        return;
      }
      outputFormat = config.outputFormat ?? outputFormat;
      wordBoundaries = config.wordBoundaries;
      sentenceBoundaries = config.sentenceBoundaries;
    } else if (path === "ssml") {
      const requestId = headers.get("x-requestid");
      if (!requestId) {
        closeInvalid(socket, "X-RequestId header is missing.");
        return;
      }
      service.countSynthesis();
      const request = { requestId, ssml: body, outputFormat, wordBoundaries, sentenceBoundaries };
      const conditions = { fault: service.fault(), slowFrameDelayMs: service.slowFrameDelayMs };
      turns = turns
        .then(() => runTurn(socket, request, conditions))
        .catch((error: unknown) => {
          service.log(`edge-tts: turn ${requestId} failed: ${String(error)}`);
          socket.terminate();
        });
    }
  });
}

interface SpeechConfig {
  outputFormat: string | undefined;
  wordBoundaries: boolean;
  sentenceBoundaries: boolean;
}

/** Clients send the flags as strings ("true") or booleans; both count. */
function readSpeechConfig(body: string): SpeechConfig | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const audio = (parsed as { context?: { synthesis?: { audio?: Record<string, unknown> } } })?.context?.synthesis?.audio;
  const options = (audio?.metadataoptions ?? {}) as Record<string, unknown>;
  const flag = (value: unknown) => value === true || value === "true";
  return {
    outputFormat: typeof audio?.outputFormat === "string" ? audio.outputFormat.trim() : undefined,
    wordBoundaries: flag(options.wordBoundaryEnabled),
    sentenceBoundaries: flag(options.sentenceBoundaryEnabled),
  };
}
