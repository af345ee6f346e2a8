// Conformance: the real msedge-tts client, pointed at the Edge TTS stand-in,
// gets real MP3 audio, the voice list, word boundaries, and the service's
// refusals and failures as errors it can act on (never a hang).
import { OUTPUT_FORMAT } from "msedge-tts";
import type { MsEdgeTTS, ProsodyOptions } from "msedge-tts";
import { parseBuffer } from "music-metadata";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createEdgeTtsClient } from "../../functions/adapters/edge-tts/client-endpoint.ts";
import { secMsGec, synthesisPath, trustedClientToken } from "../../emulators/edge-tts/handshake.ts";
import { startEdgeTtsEmulator } from "../../emulators/edge-tts/index.ts";
import type { EdgeTtsEmulator } from "../../emulators/edge-tts/index.ts";
import { freePort } from "../../emulators/ports.ts";

const mp3 = OUTPUT_FORMAT.AUDIO_24KHZ_48KBITRATE_MONO_MP3;
const slowFrameDelayMs = 40;
/** Long enough for any synthesis here; a stream still open after it counts as hung. */
const deadlineMs = 8_000;
const truncated = /Stream closed before the synthesis completed/;

let emulator: EdgeTtsEmulator;
const clients: MsEdgeTTS[] = [];

beforeAll(async () => {
  emulator = await startEdgeTtsEmulator({ port: await freePort(), slowFrameDelayMs });
});
afterEach(() => {
  emulator.setFault(null);
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await emulator.close();
});

async function connect(voice: string, format: OUTPUT_FORMAT = mp3, wordBoundaries = false, endpoint = emulator.url): Promise<MsEdgeTTS> {
  const client = createEdgeTtsClient(endpoint);
  clients.push(client);
  await client.setMetadata(voice, format, { wordBoundaryEnabled: wordBoundaries });
  return client;
}

interface Synthesis {
  audio: Buffer;
  metadata: string[];
}

/** Reads one toStream() to its end; rejects with the stream's error, or "hung" past the deadline. */
function synthesize(client: MsEdgeTTS, text: string, prosody?: ProsodyOptions): Promise<Synthesis> {
  const { audioStream, metadataStream } = client.toStream(text, prosody);
  const chunks: Buffer[] = [];
  const metadata: string[] = [];
  metadataStream?.on("data", (chunk: Buffer) => metadata.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hung: ${Buffer.concat(chunks).length} bytes after ${deadlineMs} ms`)), deadlineMs);
    audioStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    audioStream.once("end", () => {
      clearTimeout(timer);
      resolve({ audio: Buffer.concat(chunks), metadata });
    });
    audioStream.once("error", (error) => {
      clearTimeout(timer);
      reject(Object.assign(error, { bytesBefore: Buffer.concat(chunks).length }));
    });
  });
}

async function mp3Format(audio: Buffer) {
  const { format } = await parseBuffer(audio, { mimeType: "audio/mpeg" }, { duration: true });
  return format;
}

async function secondsOf(audio: Buffer): Promise<number> {
  return (await mp3Format(audio)).duration ?? 0;
}

function startsLikeMp3(audio: Buffer): boolean {
  const frameSync = audio[0] === 0xff && ((audio[1] ?? 0) & 0xe0) === 0xe0;
  return frameSync || audio.subarray(0, 3).toString("latin1") === "ID3";
}

describe("Edge TTS stand-in, driven by msedge-tts", () => {
  it("lists voices through getVoices()", async () => {
    const voices = await createEdgeTtsClient(emulator.url).getVoices();
    const names = voices.map((voice) => voice.ShortName);
    for (const wanted of ["vi-VN-HoaiMyNeural", "vi-VN-NamMinhNeural", "en-US-JennyNeural", "en-US-GuyNeural", "zh-CN-XiaomoNeural", "zh-CN-YunxiNeural"]) {
      expect(names).toContain(wanted);
    }
    expect(voices.length).toBeGreaterThanOrEqual(18);
    expect(voices.find((voice) => voice.ShortName === "vi-VN-HoaiMyNeural")).toMatchObject({
      Name: "Microsoft Server Speech Text to Speech Voice (vi-VN, HoaiMyNeural)",
      Gender: "Female",
      Locale: "vi-VN",
      SuggestedCodec: "audio-24khz-48kbitrate-mono-mp3",
      FriendlyName: "Microsoft HoaiMy Online (Natural) - Vietnamese (Vietnam)",
      Status: "GA",
      VoiceTag: { ContentCategories: expect.any(Array), VoicePersonalities: expect.any(Array) },
    });
  });

  it.each([
    ["vi-VN-HoaiMyNeural", "Xin chào.", "Xin chào, hôm nay trời đẹp quá, đi dạo nhé!"],
    ["en-US-GuyNeural", "Hello there.", "Hello there, this sentence takes longer to say."],
    ["zh-CN-YunxiNeural", "你好。", "你好，今天天气很好，我们去散步吧。"],
  ])("%s speaks MP3 whose length follows the text", async (voice, short, long) => {
    const client = await connect(voice);
    const shortAudio = (await synthesize(client, short)).audio;
    const longAudio = (await synthesize(client, long)).audio;
    for (const audio of [shortAudio, longAudio]) expect(startsLikeMp3(audio)).toBe(true);
    const format = await mp3Format(longAudio);
    expect(format).toMatchObject({ codec: "MPEG 2 Layer 3", sampleRate: 24_000, bitrate: 48_000, numberOfChannels: 1 });
    const shortSeconds = await secondsOf(shortAudio);
    expect(shortSeconds).toBeGreaterThan(0.3);
    expect(await secondsOf(longAudio)).toBeGreaterThan(shortSeconds * 2);
  });

  it("speaks faster at rate +50% than at -50%", async () => {
    const client = await connect("en-US-JennyNeural");
    const text = "The quick brown fox.";
    const fast = await secondsOf((await synthesize(client, text, { rate: "+50%" })).audio);
    const slow = await secondsOf((await synthesize(client, text, { rate: "-50%" })).audio);
    expect(slow).toBeGreaterThan(fast * 2);
  });

  it.each([
    [OUTPUT_FORMAT.AUDIO_24KHZ_96KBITRATE_MONO_MP3, 24_000, 96_000],
    ["audio-48khz-96kbitrate-mono-mp3" as OUTPUT_FORMAT, 48_000, 96_000],
  ])("encodes %s", async (format, sampleRate, bitrate) => {
    const client = await connect("en-US-JennyNeural", format);
    const { audio } = await synthesize(client, "Testing the output format.");
    expect(startsLikeMp3(audio)).toBe(true);
    expect(await mp3Format(audio)).toMatchObject({ sampleRate, bitrate });
  });

  it("reports word boundaries, in order, within the audio", async () => {
    const client = await connect("en-US-JennyNeural", mp3, true);
    const { audio, metadata } = await synthesize(client, "Hello world, this is a test.");
    const entries = metadata.flatMap((chunk) => (JSON.parse(chunk) as { Metadata: { Type: string; Data: { Offset: number; Duration: number; text?: { Text: string } } }[] }).Metadata);
    const words = entries.filter((entry) => entry.Type === "WordBoundary");
    expect(words.map((word) => word.Data.text?.Text)).toEqual(["Hello", "world", "this", "is", "a", "test"]);
    const offsets = words.map((word) => word.Data.Offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const last = words.at(-1)?.Data;
    expect(((last?.Offset ?? 0) + (last?.Duration ?? 0)) / 1e7).toBeLessThanOrEqual(await secondsOf(audio));
  });

  it("gives the same bytes for the same request, and counts every request", async () => {
    const client = await connect("vi-VN-NamMinhNeural");
    const before = emulator.syntheses();
    const first = await synthesize(client, "Một hai ba bốn năm.");
    const second = await synthesize(client, "Một hai ba bốn năm.");
    expect(second.audio.equals(first.audio)).toBe(true);
    expect(emulator.syntheses()).toBe(before + 2);
  });

  it("ends the stream with an error for an unknown voice", async () => {
    const client = await connect("en-US-NobodyNeural");
    await expect(synthesize(client, "Hello")).rejects.toMatchObject({ message: expect.stringMatching(truncated), bytesBefore: 0 });
  });

  it("ends the stream with an error for an output format it does not serve", async () => {
    const client = await connect("en-US-JennyNeural", OUTPUT_FORMAT.WEBM_24KHZ_16BIT_MONO_OPUS);
    await expect(synthesize(client, "Hello")).rejects.toThrow(truncated);
  });

  it("refuses SSML with a bare ampersand, as the service does, and takes an escaped one", async () => {
    const client = await connect("en-US-JennyNeural");
    await expect(synthesize(client, "Tom & Jerry")).rejects.toThrow(truncated);
    const retry = await connect("en-US-JennyNeural");
    expect((await synthesize(retry, "Tom &amp; Jerry")).audio.length).toBeGreaterThan(0);
  });
});

describe("Edge TTS stand-in faults, as msedge-tts sees them", () => {
  it("refuse: setMetadata rejects with the 403 of the upgrade", async () => {
    emulator.setFault("refuse");
    await expect(connect("en-US-JennyNeural")).rejects.toThrow(/Unexpected server response: 403/);
    emulator.setFault(null);
    await expect(connect("en-US-JennyNeural")).resolves.toBeDefined();
  });

  it("close-mid-stream: some audio, then an error", async () => {
    const client = await connect("en-US-JennyNeural");
    emulator.setFault("close-mid-stream");
    const failure = synthesize(client, "Long enough to need more than one chunk of audio.");
    await expect(failure).rejects.toThrow(truncated);
    expect(await failure.catch((error: { bytesBefore: number }) => error.bytesBefore)).toBeGreaterThan(0);
  });

  it("no-audio: the stream ends cleanly with zero bytes", async () => {
    const client = await connect("en-US-JennyNeural");
    emulator.setFault("no-audio");
    expect((await synthesize(client, "Nothing comes back.")).audio.length).toBe(0);
  });

  it("slow: the same audio arrives, a delay before every message", async () => {
    const client = await connect("en-US-JennyNeural");
    const text = "Slowly but surely.";
    const normal = await synthesize(client, text);
    emulator.setFault("slow");
    const started = Date.now();
    const slow = await synthesize(client, text);
    // turn.start, response, audio, the closing audio message and turn.end each waited.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * slowFrameDelayMs);
    expect(slow.audio.equals(normal.audio)).toBe(true);
  });

  it("slow: a caller that gives up with close() gets an error, not a hang", async () => {
    const client = await connect("en-US-JennyNeural");
    emulator.setFault("slow");
    const { audioStream } = client.toStream("This one is abandoned part way through.");
    const outcome = new Promise<string>((resolve) => {
      audioStream.once("error", (error) => resolve(error.message));
      audioStream.once("end", () => resolve("end"));
    });
    await new Promise((resolve) => audioStream.once("data", resolve));
    client.close();
    expect(await outcome).toMatch(truncated);
  });
});

describe("Edge TTS stand-in on the wire", () => {
  const synthesisUrl = (base: string, token = trustedClientToken) =>
    `${base.replace("http:", "ws:")}${synthesisPath}?TrustedClientToken=${token}&Sec-MS-GEC=${secMsGec(Date.now())}&Sec-MS-GEC-Version=1-143.0.3650.96&ConnectionId=test`;

  function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
    return new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  it("answers a wrong client token with 403", async () => {
    const socket = new WebSocket(synthesisUrl(emulator.url, "0".repeat(32)));
    const error = await new Promise<Error>((resolve) => socket.once("error", resolve));
    expect(error.message).toMatch(/403/);
  });

  it("closes with 1007 and the service's reason for an unknown voice", async () => {
    const socket = new WebSocket(synthesisUrl(emulator.url));
    await new Promise((resolve) => socket.once("open", resolve));
    const closed = closeOf(socket);
    const ssml = `<speak version="1.0" xml:lang="en-US"><voice name="en-US-NobodyNeural">Hi</voice></speak>`;
    socket.send(`X-RequestId:abc\r\nContent-Type:application/ssml+xml\r\nPath:ssml\r\n\r\n${ssml}`);
    expect(await closed).toEqual({ code: 1007, reason: "Unsupported voice en-US-NobodyNeural." });
  });

  it("close() terminates open connections and stops listening", async () => {
    const own = await startEdgeTtsEmulator({ slowFrameDelayMs });
    const client = await connect("en-US-JennyNeural", mp3, false, own.url);
    own.setFault("slow");
    const pending = synthesize(client, "Interrupted by shutdown.");
    await own.close();
    await expect(pending).rejects.toThrow(truncated);
    await expect(connect("en-US-JennyNeural", mp3, false, own.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("Edge TTS stand-in control endpoint (for tests in another process)", () => {
  const control = (path: string, init?: RequestInit) => fetch(`${emulator.url}/__control/${path}`, init);
  const setFault = (fault: unknown) =>
    control("fault", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ fault }) });

  it("sets and clears a fault over HTTP, and reports the syntheses", async () => {
    expect(await (await setFault("no-audio")).json()).toMatchObject({ fault: "no-audio" });
    const client = await connect("en-US-JennyNeural");
    expect((await synthesize(client, "Nothing comes back.")).audio.length).toBe(0);
    const state = (await (await control("state")).json()) as { fault: string | null; syntheses: number };
    expect(state).toEqual({ fault: "no-audio", syntheses: emulator.syntheses() });
    expect(await (await setFault(null)).json()).toMatchObject({ fault: null });
    expect((await synthesize(await connect("en-US-JennyNeural"), "Back again.")).audio.length).toBeGreaterThan(0);
  });

  it("refuses an unknown fault and other methods", async () => {
    const answer = await setFault("explode");
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(/refuse, close-mid-stream, no-audio, slow/);
    expect((await control("fault")).status).toBe(405);
    expect((await control("nothing")).status).toBe(404);
  });
});
