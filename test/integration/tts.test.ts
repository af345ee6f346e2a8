// Text to speech end to end: the note's POST /tts and GET /tts/status, the real
// msedge-tts client against the Edge TTS stand-in, the real Cloud Storage
// client against the GCS emulator, the audio downloaded as a player would.
import { Redis } from "@upstash/redis";
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { download, edgeControl, uniqueVietnamese, type TtsResult } from "../helpers/tts.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const edge = edgeControl(stack.edgeTtsUrl);

interface TtsStatus {
  task_id: string;
  status: string;
  progress: number;
  message: string;
  result?: TtsResult;
  error?: { type: string; message: string } | null;
}

async function speak(body: Record<string, unknown>) {
  const submitted = await api.call<{ task_id: string; status: string; poll_url: string }>("POST", "/tts", body);
  expect(submitted.status).toBe(202);
  return submitted.body;
}

/** Polls the note's status endpoint until the task ends. */
async function finished(taskId: string, timeoutMs = 30_000): Promise<TtsStatus> {
  return eventually(async () => {
    const { status, body } = await api.call<TtsStatus>("GET", `/tts/status/${taskId}`);
    expect(status).toBe(200);
    if (!["SUCCESS", "FAILURE", "REVOKED"].includes(body.status)) throw new Error(`task ${taskId} is ${body.status}`);
    return body;
  }, { timeoutMs, intervalMs: 50 });
}

describe("POST /tts and GET /tts/status", () => {
  it("speaks Vietnamese into a downloadable MP3 whose duration is the one reported", async () => {
    const text = uniqueVietnamese();
    const submitted = await speak({ text, lang_code: "vi", gender: "female" });
    expect(submitted).toEqual({ task_id: expect.any(String), status: "PENDING", poll_url: `${stack.apiUrl}/tts/status/${submitted.task_id}` });

    const done = await finished(submitted.task_id);
    expect(done).toMatchObject({ status: "SUCCESS", progress: 100 });
    const result = done.result!;
    expect(result).toMatchObject({ gcs_uri: `gs://tasks-local/tts/${submitted.task_id}.mp3`, voice: "vi-VN-HoaiMyNeural", cached: false });
    expect(result.url).toContain("X-Goog-Signature=");

    const file = await download(result.url);
    expect(file.status).toBe(200);
    expect(file.contentType).toBe("audio/mpeg");
    expect(file.audio.length).toBe(result.bytes);
    expect(file.seconds).toBeGreaterThan(1);
    expect(Math.abs(file.seconds - result.duration_seconds)).toBeLessThan(0.05);
  });

  it("serves a repeated request from the cache: no synthesis, a fresh signed URL for the same object", async () => {
    const body = { text: uniqueVietnamese("Bạn khỏe không? Tôi khỏe."), lang: "vi-VN", gender: "male" };
    const first = (await finished((await speak(body)).task_id)).result!;
    expect(first).toMatchObject({ voice: "vi-VN-NamMinhNeural", cached: false });
    const before = await edge.syntheses();

    // The same audio asked for by voice name instead of language and gender.
    const second = (await finished((await speak({ text: body.text, voice: "vi-VN-NamMinhNeural" })).task_id)).result!;
    expect(second).toMatchObject({ cached: true, gcs_uri: first.gcs_uri, bytes: first.bytes, duration_seconds: first.duration_seconds, voice: first.voice });
    expect(second.url).toContain("X-Goog-Signature=");
    expect(await edge.syntheses()).toBe(before);
    const file = await download(second.url);
    expect(file.status).toBe(200);
    expect(file.audio.length).toBe(first.bytes);
  });

  it("speaks long text in several parts, its progress climbing part by part", async () => {
    // About 1.9 KB of text; the test stack sends Edge at most 600 bytes at a time.
    const sentences = Array.from({ length: 14 }, (_, i) => `Đây là câu thứ ${i + 1} của một đoạn văn dài, được chia thành nhiều phần nhỏ.`);
    const submitted = await speak({ text: uniqueVietnamese(sentences.join(" ")) });
    const seen: { progress: number; message: string }[] = [];
    const done = await eventually(async () => {
      const { body } = await api.call<TtsStatus>("GET", `/tts/status/${submitted.task_id}`);
      if (seen.at(-1)?.message !== body.message) seen.push({ progress: body.progress, message: body.message });
      if (body.status !== "SUCCESS") throw new Error(`still ${body.status}`);
      return body;
    }, { timeoutMs: 60_000, intervalMs: 20 });

    const parts = seen.map((s) => /^synthesised part (\d+)\/(\d+)$/.exec(s.message)).filter((m) => m !== null);
    const total = Number(parts[0]?.[2]);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(new Set(parts.map((m) => m[1])).size).toBeGreaterThanOrEqual(2);
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.some((p) => p > 0 && p < 90)).toBe(true);

    const file = await download(done.result!.url);
    expect(Math.abs(file.seconds - done.result!.duration_seconds)).toBeLessThan(0.05);
    expect(file.seconds).toBeGreaterThan(60);
  }, 90_000);

  it("answers 400 naming the field for a bad request", async () => {
    const tooLong = await api.call<{ error: { code: string; details: { fields: { path: string }[] } } }>("POST", "/tts", { text: "a".repeat(5001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.fields.map((f) => f.path)).toEqual(["text"]);
    const disagree = await api.call<{ error: { message: string } }>("POST", "/tts", { text: "hi", lang: "vi", lang_code: "en" });
    expect(disagree.status).toBe(400);
    expect(disagree.body.error.message).toMatch(/lang_code/);
    const pitch = await api.call<{ error: { details: { fields: { path: string }[] } } }>("POST", "/tts", { text: "hi", pitch: "loud" });
    expect(pitch.body.error.details.fields.map((f) => f.path)).toEqual(["pitch"]);
  });

  it("answers 404 for a task that is not a TTS task, and 401 without a key", async () => {
    const other = await api.submit("testing.noop", {});
    expect((await api.call("GET", `/tts/status/${other.body.task_id}`)).status).toBe(404);
    expect((await fetch(`${stack.apiUrl}/tts/status/${other.body.task_id}`)).status).toBe(401);
  });
});

describe("tts.generate through POST /v1/tasks", () => {
  it("refuses text over 5000 characters at submit, naming payload.text", async () => {
    const answer = await api.submit("tts.generate", { text: "x".repeat(5001) });
    expect(answer.status).toBe(400);
    const error = (answer.body as unknown as { error: { code: string; details: { fields: { path: string; message: string }[] } } }).error;
    expect(error.code).toBe("validation_failed");
    expect(error.details.fields).toEqual([{ path: "payload.text", message: expect.stringMatching(/5000/) }]);
  });

  it("fails at once, after one attempt and no synthesis, for a voice Edge does not have", async () => {
    const before = await edge.syntheses();
    const { body } = await api.submit("tts.generate", { text: uniqueVietnamese(), voice: "vi-VN-NobodyNeural" });
    const failed = await api.waitFor(body.task_id, "FAILURE");
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatchObject({ type: "NonRetryableError", message: expect.stringContaining('unknown voice "vi-VN-NobodyNeural"') });
    expect(await edge.syntheses()).toBe(before);
  });

  it("speaks English and Chinese with the note's voices", async () => {
    const english = await api.submit("tts.generate", { text: `Hello there, number ${Date.now()}.`, lang: "en", gender: "male" });
    const chinese = await api.submit("tts.generate", { text: `你好，今天天气很好。${Date.now()}`, lang: "zh" });
    const results = await Promise.all([english, chinese].map(async ({ body }) => {
      await api.waitFor(body.task_id, "SUCCESS");
      return (await api.call<{ result: TtsResult }>("GET", `/v1/tasks/${body.task_id}/result`)).body.result;
    }));
    expect(results.map((r) => r.voice)).toEqual(["en-US-GuyNeural", "zh-CN-XiaomoNeural"]);
  });
});

describe("tts.cleanup_audio", () => {
  const redis = new Redis({ url: stack.bridgeUrl, token: stack.bridgeToken, enableTelemetry: false });
  /** Cache entries in Redis that point at `path`. */
  async function entriesFor(path: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, { match: "*:kv:tts:cache:*", count: 1000 });
      for (const key of keys) if ((await redis.get<{ path?: string }>(key))?.path === path) found.push(key);
      cursor = String(next);
    } while (cursor !== "0");
    return found;
  }

  it("deletes audio older than max_age_hours and the cache entries that point at it, and nothing newer", async () => {
    const text = uniqueVietnamese("Tệp này sẽ bị xoá.");
    const first = (await finished((await speak({ text })).task_id)).result!;
    const path = first.gcs_uri.replace("gs://tasks-local/", "");
    expect(await entriesFor(path)).toHaveLength(1);

    const keep = await api.submit("tts.cleanup_audio", { max_age_hours: 1 });
    await api.waitFor(keep.body.task_id, "SUCCESS");
    const kept = (await api.call<{ result: { scanned: number; deleted: number } }>("GET", `/v1/tasks/${keep.body.task_id}/result`)).body.result;
    expect(kept.scanned).toBeGreaterThanOrEqual(1);
    expect(kept.deleted).toBe(0);
    expect((await download(first.url)).status).toBe(200);

    const sweep = await api.submit("tts.cleanup_audio", { max_age_hours: 0, page_size: 2 });
    await api.waitFor(sweep.body.task_id, "SUCCESS");
    const swept = (await api.call<{ result: { scanned: number; deleted: number; cache_entries_deleted: number } }>("GET", `/v1/tasks/${sweep.body.task_id}/result`)).body.result;
    expect(swept.deleted).toBe(swept.scanned);
    expect(swept.cache_entries_deleted).toBeGreaterThanOrEqual(1);
    expect((await download(first.url)).status).toBe(404);
    expect(await entriesFor(path)).toEqual([]);

    const before = await edge.syntheses();
    const again = (await finished((await speak({ text })).task_id)).result!;
    expect(again.cached).toBe(false);
    expect(await edge.syntheses()).toBe(before + 1);
  });
});
