// tts.generate and tts.cleanup_audio against in-memory ports: the cache, parts
// and progress, and which failures are final.
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryBlobStore, MemoryKeyValueStore } from "../../../test/helpers/memory-ports.ts";
import { testContext } from "../../core/testing/task-context.ts";
import type { SpeechRequest, SpeechSynthesizer, SpeechVoice } from "./ports.ts";
import { cleanupAudio } from "./cleanup-audio.ts";
import { generateSpeech } from "./generate.ts";
import { generateInput } from "./input.ts";

/** One Edge-format frame (24 kHz, 48 kbit/s, mono) lasts 24 ms. */
const frame = Buffer.concat([Buffer.from([0xff, 0xf3, 0x64, 0xc0]), Buffer.alloc(140, 0x55)]);

class FakeSpeech implements SpeechSynthesizer {
  readonly maxTextBytes = 40;
  readonly requests: SpeechRequest[] = [];
  answer: (request: SpeechRequest) => Buffer = (request) => Buffer.concat(Array.from({ length: request.text.length }, () => frame));
  async voices(): Promise<SpeechVoice[]> {
    return [
      { name: "vi-VN-HoaiMyNeural", locale: "vi-VN", gender: "Female" },
      { name: "vi-VN-NamMinhNeural", locale: "vi-VN", gender: "Male" },
    ];
  }
  async synthesize(request: SpeechRequest): Promise<Buffer> {
    this.requests.push(request);
    return this.answer(request);
  }
}

let blobs: MemoryBlobStore;
let kv: MemoryKeyValueStore;
let speech: FakeSpeech;
let progress: { percent: number; message: string | undefined }[];

beforeEach(() => {
  blobs = new MemoryBlobStore();
  kv = new MemoryKeyValueStore();
  speech = new FakeSpeech();
  progress = [];
});

function context(taskId: string) {
  const record = async (percent: number, message?: string) => void progress.push({ percent, message });
  return testContext(generateSpeech, { blobs, kv, speech }, { taskId, maxAttempts: 4, progress: record }).ctx;
}

const generate = (taskId: string, payload: Record<string, unknown>) => generateSpeech.handler(generateInput.parse(payload), context(taskId));

describe("tts.generate", () => {
  it("speaks long text in parts, reports each, and stores one MP3 with its cache key", async () => {
    const text = "Câu thứ nhất khá dài. Câu thứ hai cũng dài. Câu thứ ba ngắn.";
    const result = await generate("t1", { text });
    expect(speech.requests.map((r) => r.text)).toEqual(["Câu thứ nhất khá dài.", "Câu thứ hai cũng dài.", "Câu thứ ba ngắn."]);
    expect(speech.requests[0]).toMatchObject({ voice: "vi-VN-HoaiMyNeural", format: "audio-24khz-48kbitrate-mono-mp3", rate: "+0%", pitch: "+0Hz", volume: "+0%" });
    const parts = progress.filter((p) => p.message?.startsWith("synthesised part"));
    expect(parts.map((p) => p.message)).toEqual(["synthesised part 1/3", "synthesised part 2/3", "synthesised part 3/3"]);
    expect(parts.map((p) => p.percent)).toEqual([...parts.map((p) => p.percent)].sort((a, b) => a - b));

    const frames = speech.requests.reduce((sum, r) => sum + r.text.length, 0);
    expect(result).toMatchObject({ gcs_uri: "gs://memory/tts/t1.mp3", bytes: frames * 144, duration_seconds: Math.round(frames * 24) / 1000, voice: "vi-VN-HoaiMyNeural", cached: false });
    const stored = blobs.objects.get("tts/t1.mp3")!;
    expect(stored.info).toMatchObject({ contentType: "audio/mpeg", metadata: { voice: "vi-VN-HoaiMyNeural", task_id: "t1" } });
    const key = stored.info.metadata.cache_key!;
    expect(key).toMatch(/^tts:cache:[0-9a-f]{64}$/);
    expect(await kv.get(key)).toEqual({ path: "tts/t1.mp3", duration_seconds: result.duration_seconds, bytes: result.bytes, voice: "vi-VN-HoaiMyNeural" });
    expect(await kv.ttl(key)).toBe(86_400);
  });

  it("reuses the audio for the same request, even asked differently, with a fresh URL and no synthesis", async () => {
    const first = await generate("t1", { text: "Xin chào.", lang: "vi", gender: "female" });
    const second = await generate("t2", { text: "  Xin chào. ", voice: "vi-vn-hoaimyneural", format: "audio-24khz-48kbitrate-mono-mp3" });
    expect(speech.requests).toHaveLength(1);
    expect(second).toEqual({ ...first, url: expect.any(String), cached: true });
    expect(blobs.objects.has("tts/t2.mp3")).toBe(false);
  });

  it("synthesises again when anything that changes the audio differs", async () => {
    await generate("t1", { text: "Xin chào." });
    await generate("t2", { text: "Xin chào.", rate: "+10%" });
    await generate("t3", { text: "Xin chào.", gender: "male" });
    await generate("t4", { text: "Xin chào.", format: "audio-24khz-96kbitrate-mono-mp3" });
    expect(speech.requests).toHaveLength(4);
  });

  it("does not trust a cache entry whose object is gone", async () => {
    await generate("t1", { text: "Xin chào." });
    await blobs.delete("tts/t1.mp3");
    const again = await generate("t2", { text: "Xin chào." });
    expect(again).toMatchObject({ cached: false, gcs_uri: "gs://memory/tts/t2.mp3" });
    expect(speech.requests).toHaveLength(2);
  });

  it("fails for good on an unknown voice, before any synthesis", async () => {
    await expect(generate("t1", { text: "Xin chào.", voice: "vi-VN-NobodyNeural" })).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("vi-VN-NobodyNeural"),
    });
    expect(speech.requests).toHaveLength(0);
  });

  it("treats an answer without MP3 frames as retryable, and stores nothing", async () => {
    speech.answer = () => Buffer.from("<html>busy</html>");
    await expect(generate("t1", { text: "Xin chào." })).rejects.toMatchObject({ name: "Error", message: expect.stringMatching(/no MP3 frames/) });
    expect(blobs.objects.size).toBe(0);
  });

  it("refuses text with nothing to speak for good", async () => {
    await expect(generate("t1", { text: "… !!!" })).rejects.toMatchObject({ name: "NonRetryableError" });
  });
});

describe("tts.generate input", () => {
  it.each([
    ["text over 5000 characters", { text: "x".repeat(5001) }, "text"],
    ["blank text", { text: "   " }, "text"],
    ["a rate that is no percentage", { text: "hi", rate: "fast; drop" }, "rate"],
    ["a pitch that would break out of SSML", { text: "hi", pitch: '+5Hz" onload="x' }, "pitch"],
    ["markup as a voice", { text: "hi", voice: "<voice>" }, "voice"],
    ["an unknown gender", { text: "hi", gender: "other" }, "gender"],
    ["a format that is not MP3", { text: "hi", format: "wav" }, "format"],
    ["an unknown field", { text: "hi", extra: 1 }, ""],
  ])("refuses %s, naming the field", (_what, payload, field) => {
    const parsed = generateInput.safeParse(payload);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join(".") ?? "").toBe(field);
  });
});

describe("tts.cleanup_audio", () => {
  it("deletes old audio page by page with the cache entries pointing at it, and keeps the rest", async () => {
    for (let i = 0; i < 7; i += 1) await generate(`old${i}`, { text: `Câu số ${i}.` });
    await generate("new", { text: "Câu mới." });
    await blobs.put("other/keep.bin", Buffer.from("x"), { contentType: "application/octet-stream" });
    for (let i = 0; i < 7; i += 1) blobs.age(`tts/old${i}.mp3`, 25 * 3600 * 1000);
    // A newer synthesis took over old0's key: its entry must survive old0's deletion.
    const takenOver = blobs.objects.get("tts/old0.mp3")!.info.metadata.cache_key!;
    await kv.set(takenOver, { path: "tts/new.mp3", duration_seconds: 1, bytes: 144, voice: "vi-VN-HoaiMyNeural" });

    const keys = [...kv.values.keys()].filter((k) => k.startsWith("tts:cache:"));
    const cleanup = testContext(cleanupAudio, { blobs, kv }, { taskId: "c1", progress: async (percent, message) => void progress.push({ percent, message }) });
    const result = await cleanupAudio.handler({ max_age_hours: 24, page_size: 3 }, cleanup.ctx);
    expect(result).toEqual({ scanned: 8, deleted: 7, cache_entries_deleted: 6 });
    expect([...blobs.objects.keys()].sort()).toEqual(["other/keep.bin", "tts/new.mp3"]);
    const left = [...kv.values.keys()].filter((k) => k.startsWith("tts:cache:"));
    expect(left.sort()).toEqual([takenOver, blobs.objects.get("tts/new.mp3")!.info.metadata.cache_key!].sort());
    expect(keys).toHaveLength(8);
    expect(progress.filter((p) => p.message?.startsWith("scanned")).map((p) => p.message)).toEqual([
      "scanned 3, deleted 2", "scanned 6, deleted 5", "scanned 8, deleted 7",
    ]);
  });
});
