// One synthesis turn on an open socket, in the order the service answers an
// ssml message: turn.start, response, audio in chunks (with word boundaries
// when speech.config asked for them), an empty closing audio message, then
// turn.end. A turn the service would refuse ends the connection with code 1007
// and the service's reason, before any turn.start.
import { randomBytes } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { WebSocket } from "ws";
import type { EdgeTtsFault } from "./faults.ts";
import { Mp3Stream } from "./mp3-encoder.ts";
import { planSpeech, render, sampleCount } from "./speech.ts";
import { decideTurn } from "./turn-request.ts";
import type { TurnRequest } from "./turn-request.ts";
import { audioMessage, textMessage } from "./wire.ts";

export interface TurnConditions {
  fault: EdgeTtsFault | null;
  slowFrameDelayMs: number;
}

/** About 0.7 s of audio at 48 kbit/s: the service streams rather than sending one blob. */
const audioChunkBytes = 4_096;

/** The client went away, or the "close-mid-stream" fault dropped it: stop quietly. */
class TurnStopped extends Error {
  override name = "TurnStopped";
}

export async function runTurn(socket: WebSocket, request: TurnRequest, conditions: TurnConditions): Promise<void> {
  const decision = decideTurn(request);
  if (!decision.accepted) {
    closeInvalid(socket, decision.reason);
    return;
  }
  const { requestId } = request;
  const serviceTag = randomBytes(16).toString("hex");
  const streamId = randomBytes(16).toString("hex").toUpperCase();
  const send = async (data: string | Buffer) => {
    if (conditions.fault === "slow") await delay(conditions.slowFrameDelayMs);
    if (socket.readyState !== WebSocket.OPEN) throw new TurnStopped();
    await new Promise<void>((done, fail) => socket.send(data, (error) => (error ? fail(new TurnStopped()) : done())));
  };
  const metadata = (entry: unknown) => send(textMessage(requestId, "audio.metadata", { Metadata: [entry] }));

  try {
    await send(textMessage(requestId, "turn.start", { context: { serviceTag } }));
    await send(textMessage(requestId, "response", { context: { serviceTag }, audio: { type: "inline", streamId } }));
    if (conditions.fault !== "no-audio") {
      const encoder = new Mp3Stream(decision.mp3);
      let pending = Buffer.alloc(0);
      let offsetSeconds = 0;
      const flush = async (all: boolean) => {
        while (pending.length >= audioChunkBytes || (all && pending.length > 0)) {
          await send(audioMessage(requestId, streamId, pending.subarray(0, audioChunkBytes)));
          pending = pending.subarray(audioChunkBytes);
          if (conditions.fault === "close-mid-stream") {
            socket.terminate();
            throw new TurnStopped();
          }
        }
      };
      for (const { text, voicing } of decision.segments) {
        const plan = planSpeech(text);
        if (request.sentenceBoundaries) {
          const seconds = plan.reduce((sum, item) => sum + sampleCount(item.seconds, voicing), 0) / voicing.sampleRate;
          await metadata(boundary("SentenceBoundary", offsetSeconds, seconds, text));
        }
        for (const item of plan) {
          const samples = render(item, voicing);
          const seconds = samples.length / voicing.sampleRate;
          if (item.kind === "word" && request.wordBoundaries) {
            await metadata(boundary("WordBoundary", offsetSeconds, seconds, item.text));
          }
          offsetSeconds += seconds;
          pending = Buffer.concat([pending, encoder.write(samples)]);
          await flush(false);
        }
      }
      pending = Buffer.concat([pending, encoder.end()]);
      await flush(true);
      await send(audioMessage(requestId, streamId, null));
      if (request.wordBoundaries || request.sentenceBoundaries) {
        await metadata({ Type: "SessionEnd", Data: { Offset: ticks(offsetSeconds) } });
      }
    }
    await send(textMessage(requestId, "turn.end", { context: { serviceTag } }));
  } catch (error) {
    if (!(error instanceof TurnStopped)) throw error;
  }
}

/** Offsets and durations travel in 100-ns ticks. */
function ticks(seconds: number): number {
  return Math.round(seconds * 10_000_000);
}

function boundary(type: "WordBoundary" | "SentenceBoundary", offsetSeconds: number, seconds: number, text: string) {
  return {
    Type: type,
    Data: {
      Offset: ticks(offsetSeconds),
      Duration: ticks(seconds),
      text: { Text: text, Length: text.length, BoundaryType: type },
    },
  };
}

/** The service's refusal: close code 1007 (invalid payload); a reason fits in 123 bytes. */
export function closeInvalid(socket: WebSocket, reason: string): void {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  socket.close(1007, cut);
}
