// tts.generate: text → MP3 in Cloud Storage through Edge TTS, the source note's
// generate_tts. Long text is spoken in parts and the frames joined; identical
// requests reuse the stored audio.
import { NonRetryableError, blobs, defineTask, kv } from "../../core/task-kit.ts";
import type { SpeechRequest } from "./ports.ts";
import { edgeFormat, generateInput, generateOutput } from "./input.ts";
import { readMp3 } from "./mp3-frames.ts";
import { splitText } from "./sentences.ts";
import { CACHE_TTL_SECONDS, cacheKey, findCached } from "./speech-cache.ts";
import { chooseVoice } from "./voices.ts";
import { speech } from "./ports.ts";

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

export const generateSpeech = defineTask({
  name: "tts.generate",
  queue: "tts",
  uses: { speech, blobs, kv },
  description: "Synthesise speech with Edge TTS and store the MP3 in Cloud Storage",
  input: generateInput,
  output: generateOutput,
  retry: { maxAttempts: 4, minBackoffSeconds: 2, maxBackoffSeconds: 300 },
  timeLimit: { softSeconds: 240, hardSeconds: 300 },
  resultTtlSeconds: 3600,
  handler: async (input, ctx) => {
    await ctx.progress(2, "choosing the voice");
    const voice = chooseVoice(input, await ctx.speech.voices(ctx.signal));
    const request: SpeechRequest = {
      text: input.text, voice, format: edgeFormat(input.format), rate: input.rate, pitch: input.pitch, volume: input.volume,
    };
    const key = cacheKey(request);
    const hit = await findCached(ctx, key);
    if (hit) {
      const { path, ...audio } = hit;
      return { url: await ctx.blobs.readUrl(path), gcs_uri: ctx.blobs.uri(path), ...audio, cached: true };
    }

    const parts = splitText(input.text, ctx.speech.maxTextBytes);
    if (parts.length === 0) throw new NonRetryableError("text: nothing to speak (no letters or digits)");
    const frames: Buffer[] = [];
    let seconds = 0;
    for (const [index, part] of parts.entries()) {
      ctx.signal.throwIfAborted();
      const audio = readMp3(await ctx.speech.synthesize({ ...request, text: part }, ctx.signal));
      // Retryable: a garbled answer is the service's fault, not the caller's.
      if (audio.frames === 0) throw new Error(`Edge TTS answered part ${index + 1}/${parts.length} with no MP3 frames`);
      frames.push(audio.audio);
      seconds += audio.seconds;
      await ctx.progress(5 + (85 * (index + 1)) / parts.length, `synthesised part ${index + 1}/${parts.length}`);
    }

    await ctx.progress(92, "uploading");
    const path = `tts/${ctx.taskId}.mp3`;
    const { uri, bytes } = await ctx.blobs.put(path, Buffer.concat(frames), {
      contentType: "audio/mpeg",
      metadata: { cache_key: key, voice, task_id: ctx.taskId },
      signal: ctx.signal,
    });
    const duration = round(seconds);
    await ctx.kv.set(key, { path, duration_seconds: duration, bytes, voice }, { ttlSeconds: CACHE_TTL_SECONDS });
    return { url: await ctx.blobs.readUrl(path), gcs_uri: uri, duration_seconds: duration, bytes, voice, cached: false };
  },
});
