// SpeechSynthesizer on Microsoft Edge's read-aloud service through msedge-tts,
// imported on first use. With an endpoint (EDGE_TTS_ENDPOINT) the same client
// talks to the local stand-in through createEdgeTtsClient().
//
// msedge-tts hazards handled here (see test/emulators/edge-tts.test.ts):
// - a fresh client per synthesis: after any trouble, a reused client reconnects
//   inside toStream() and its rejection cannot be caught;
// - setMetadata() opens the socket and must be awaited before toStream();
// - destroying the audio stream mid-turn leaves the socket open: close() aborts;
// - no timeouts of its own: a deadline here, then close();
// - a stream that ends with 0 bytes (the service's empty answer) is a failure.
// An unknown voice looks like a dropped connection, so tasks check voices() first.
import type { MsEdgeTTS, OUTPUT_FORMAT } from "msedge-tts";
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import type { KeyValueStore } from "../../core/ports.ts";
import type { SpeechRequest, SpeechSynthesizer, SpeechVoice } from "../../tasks/tts/ports.ts";
import { CachedVoiceList } from "./voice-list.ts";

export interface EdgeTtsOptions {
  /** The stand-in's base URL (http://127.0.0.1:PORT); unset: speech.platform.bing.com. */
  endpoint?: string;
  /** Deadline for one synthesis, from connect to the last byte, ms. */
  timeoutMs: number;
  /** Most UTF-8 bytes of text per synthesis. */
  maxTextBytes: number;
  /** Shares the voice list across instances for a day. */
  voiceCache?: KeyValueStore;
  /** Deadline for the voice list, ms. Default 15,000. */
  voicesTimeoutMs?: number;
}

/** Edge TTS failed in a way a later attempt may not: unreachable, cut off, silent. */
class SpeechServiceError extends Error {
  override readonly name = "SpeechServiceError";
}

/** Seconds to wait after Edge answers 429 (it sends no Retry-After on the WebSocket upgrade). */
const THROTTLED_RETRY_SECONDS = 30;
/** Prosody and voice values land in SSML attributes; the task validated them, this is the last guard. */
const attributeSafe = /^[\w.+%-]+$/;

export class EdgeSpeechSynthesizer implements SpeechSynthesizer {
  readonly maxTextBytes: number;
  readonly #options: EdgeTtsOptions;
  readonly #voices: CachedVoiceList;

  constructor(options: EdgeTtsOptions) {
    this.#options = options;
    this.maxTextBytes = options.maxTextBytes;
    this.#voices = new CachedVoiceList({ fetch: () => this.#fetchVoices(), store: options.voiceCache });
  }

  voices(signal?: AbortSignal): Promise<SpeechVoice[]> {
    return signal ? untilAborted(this.#voices.get(), signal, () => signal.reason) : this.#voices.get();
  }

  async synthesize(request: SpeechRequest, signal?: AbortSignal): Promise<Buffer> {
    for (const value of [request.voice, request.rate, request.pitch, request.volume, request.format]) {
      if (!attributeSafe.test(value)) throw new NonRetryableError(`"${value}" cannot go into SSML`);
    }
    signal?.throwIfAborted();
    const client = await this.#newClient();
    const seconds = this.#options.timeoutMs / 1000;
    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      return await untilAborted(speak(client, request), stop, () =>
        signal?.aborted ? signal.reason : new SpeechServiceError(`Edge TTS did not finish within ${seconds} s`),
      );
    } finally {
      // Ends the turn if it is still running; its stream then errors into a settled promise.
      client.close();
    }
  }

  async #newClient(): Promise<MsEdgeTTS> {
    if (this.#options.endpoint) {
      const { createEdgeTtsClient } = await import("./client-endpoint.ts");
      return createEdgeTtsClient(this.#options.endpoint);
    }
    const { MsEdgeTTS } = await import("msedge-tts");
    return new MsEdgeTTS();
  }

  async #fetchVoices(): Promise<SpeechVoice[]> {
    const client = await this.#newClient();
    const ms = this.#options.voicesTimeoutMs ?? 15_000;
    let list: unknown;
    try {
      list = await untilAborted(client.getVoices(), AbortSignal.timeout(ms), () => new Error(`no answer within ${ms / 1000} s`));
    } catch (error) {
      throw new SpeechServiceError(`Edge TTS voice list: ${(error as Error).message}`, { cause: error });
    }
    const voices = (Array.isArray(list) ? list : [])
      .filter((v): v is { ShortName: string; Locale: string; Gender: string } => typeof v?.ShortName === "string" && typeof v?.Locale === "string")
      .map((v) => ({ name: v.ShortName, locale: v.Locale, gender: String(v.Gender ?? "") }));
    if (voices.length === 0) throw new SpeechServiceError("Edge TTS voice list came back empty");
    return voices;
  }
}

async function speak(client: MsEdgeTTS, request: SpeechRequest): Promise<Buffer> {
  try {
    await client.setMetadata(request.voice, request.format as OUTPUT_FORMAT, {});
  } catch (error) {
    throw connectionError(error);
  }
  const { audioStream } = client.toStream(ssmlText(request.text), { rate: request.rate, pitch: request.pitch, volume: request.volume });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    audioStream.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    });
    audioStream.once("end", () => {
      if (bytes === 0) reject(new SpeechServiceError("Edge TTS ended the turn without audio"));
      else resolve(Buffer.concat(chunks));
    });
    audioStream.once("error", () =>
      reject(new SpeechServiceError(`Edge TTS closed the connection after ${bytes} bytes, before the synthesis completed`)),
    );
  });
}

/** Refused or unreachable: a 429 waits a while, anything else takes the usual backoff. */
function connectionError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected server response: 429/.test(message)) {
    return new RetryAfterError(`Edge TTS is throttling: ${message}`, THROTTLED_RETRY_SECONDS, { cause: error });
  }
  return new SpeechServiceError(`Edge TTS connection failed: ${message}`, { cause: error });
}

/** Text as SSML character data: escaped, and without the control characters XML forbids. */
function ssmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Settles with `work`, or rejects with `reason()` as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, reason: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
