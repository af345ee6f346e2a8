// The Edge TTS adapter with the real msedge-tts client against the stand-in:
// audio, the cached voice list, and every service failure as a prompt,
// retryable error (never a hang, never an empty success).
import { parseBuffer } from "music-metadata";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EdgeSpeechSynthesizer } from "../../functions/adapters/edge-tts/speech-synthesizer.ts";
import { startEdgeTtsEmulator, type EdgeTtsEmulator } from "../../emulators/edge-tts/index.ts";
import { freePort } from "../../emulators/ports.ts";
import { MemoryKeyValueStore } from "../helpers/memory-ports.ts";
import type { SpeechRequest } from "../../functions/tasks/tts/ports.ts";

let emulator: EdgeTtsEmulator;

beforeAll(async () => {
  emulator = await startEdgeTtsEmulator({ slowFrameDelayMs: 200 });
});
afterEach(() => emulator.setFault(null));
afterAll(async () => {
  await emulator.close();
});

const synthesizer = (options: Partial<ConstructorParameters<typeof EdgeSpeechSynthesizer>[0]> = {}) =>
  new EdgeSpeechSynthesizer({ endpoint: emulator.url, timeoutMs: 10_000, maxTextBytes: 4096, ...options });
const request = (text: string, extra: Partial<SpeechRequest> = {}): SpeechRequest => ({
  text, voice: "vi-VN-HoaiMyNeural", format: "audio-24khz-48kbitrate-mono-mp3", rate: "+0%", pitch: "+0Hz", volume: "+0%", ...extra,
});
const secondsOf = async (audio: Buffer) => (await parseBuffer(audio, { mimeType: "audio/mpeg" }, { duration: true })).format.duration ?? 0;

describe("EdgeSpeechSynthesizer", () => {
  it("speaks Vietnamese as MP3, one fresh connection per call", async () => {
    const speech = synthesizer();
    const before = emulator.syntheses();
    const first = await speech.synthesize(request("Xin chào, hôm nay trời đẹp quá."));
    const second = await speech.synthesize(request("Xin chào, hôm nay trời đẹp quá."));
    expect(await secondsOf(first)).toBeGreaterThan(1);
    expect(second.equals(first)).toBe(true);
    expect(emulator.syntheses()).toBe(before + 2);
  });

  it("applies prosody and escapes text that is not valid SSML as written", async () => {
    const speech = synthesizer();
    const slow = await speech.synthesize(request("Tom & Jerry <3 > all", { voice: "en-US-JennyNeural", rate: "-50%" }));
    const fast = await speech.synthesize(request("Tom & Jerry <3 > all", { voice: "en-US-JennyNeural", rate: "+50%" }));
    expect(await secondsOf(slow)).toBeGreaterThan((await secondsOf(fast)) * 2);
  });

  it("lists voices once, then serves them from memory and, for other instances, from the key-value store", async () => {
    const kv = new MemoryKeyValueStore();
    const voices = await synthesizer({ voiceCache: kv }).voices();
    expect(voices).toContainEqual({ name: "vi-VN-HoaiMyNeural", locale: "vi-VN", gender: "Female" });
    expect(await kv.ttl("tts:edge-voices")).toBe(86_400);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    expect(await new EdgeSpeechSynthesizer({ endpoint: unreachable, timeoutMs: 1000, maxTextBytes: 4096, voiceCache: kv }).voices()).toEqual(voices);
    await expect(new EdgeSpeechSynthesizer({ endpoint: unreachable, timeoutMs: 1000, maxTextBytes: 4096 }).voices()).rejects.toMatchObject({
      name: "SpeechServiceError", message: expect.stringMatching(/voice list/),
    });
  });

  it.each([
    ["refuse", /connection failed: .*403/],
    ["close-mid-stream", /closed the connection after [1-9]\d* bytes/],
    ["no-audio", /ended the turn without audio/],
  ] as const)("turns the %s fault into a retryable SpeechServiceError", async (fault, message) => {
    emulator.setFault(fault);
    await expect(synthesizer().synthesize(request("Một đoạn văn đủ dài để cần nhiều hơn một khối âm thanh."))).rejects.toMatchObject({
      name: "SpeechServiceError", message: expect.stringMatching(message),
    });
  });

  it("reports Edge unreachable as a retryable SpeechServiceError", async () => {
    const speech = new EdgeSpeechSynthesizer({ endpoint: `http://127.0.0.1:${await freePort()}`, timeoutMs: 5000, maxTextBytes: 4096 });
    await expect(speech.synthesize(request("Xin chào."))).rejects.toMatchObject({ name: "SpeechServiceError", message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it("gives up at its own deadline on a service that stalls", async () => {
    emulator.setFault("slow");
    const started = Date.now();
    await expect(synthesizer({ timeoutMs: 300 }).synthesize(request("Chậm mà chắc."))).rejects.toMatchObject({
      name: "SpeechServiceError", message: "Edge TTS did not finish within 0.3 s",
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("stops at once when its caller's signal aborts, with the caller's reason", async () => {
    emulator.setFault("slow");
    const controller = new AbortController();
    const pending = synthesizer().synthesize(request("Bị huỷ giữa chừng."), controller.signal);
    setTimeout(() => controller.abort(new Error("revoked")), 100);
    await expect(pending).rejects.toThrow("revoked");
  });

  it("lets an unknown voice through only as a cut-off stream: why tasks check voices() first", async () => {
    await expect(synthesizer().synthesize(request("Hello", { voice: "en-US-NobodyNeural" }))).rejects.toMatchObject({
      name: "SpeechServiceError", message: expect.stringMatching(/after 0 bytes/),
    });
  });

  it("refuses values that could break out of an SSML attribute", async () => {
    await expect(synthesizer().synthesize(request("Hi", { pitch: '0Hz" x="' }))).rejects.toMatchObject({ name: "NonRetryableError" });
  });
});
