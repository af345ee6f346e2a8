// What tts.generate takes: the source note's fields (text, lang, gender) plus an
// explicit Edge voice, SSML prosody and the output format. POST /tts reuses the
// same field schemas, so both entry points refuse the same things.
import { z } from "zod";

/** Longest text accepted at submit, in characters (UTF-16 code units, as zod counts them). */
const MAX_TEXT_CHARS = 5000;

export const Gender = ["female", "male"] as const;
export type Gender = (typeof Gender)[number];

/** "mp3" is Edge's usual MP3; the others name Edge's MP3 output formats outright. */
export const Format = ["mp3", "audio-24khz-48kbitrate-mono-mp3", "audio-24khz-96kbitrate-mono-mp3", "audio-48khz-96kbitrate-mono-mp3"] as const;
export type Format = (typeof Format)[number];

/** The Edge output format a requested format stands for. */
export function edgeFormat(format: Format): string {
  return format === "mp3" ? "audio-24khz-48kbitrate-mono-mp3" : format;
}

// Prosody values go into SSML attributes: only these shapes pass, so nothing
// a caller writes can break out of the attribute.
const percent = /^[+-]\d{1,3}%$/;
const pitch = /^[+-]\d{1,4}(Hz|%|st)$/;
/** "vi", "en", "zh", or a locale such as "vi-VN", "zh-CN", "zh-HK". */
export const language = z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}$/i, 'a language ("vi", "en", "zh") or an Edge locale ("vi-VN")');
/** Edge ShortNames: "vi-VN-HoaiMyNeural", "zh-CN-liaoning-XiaobeiNeural". */
const voiceName = /^[a-z]{2,3}(-[a-z0-9]{1,40}){2,3}$/i;

export const ttsFields = {
  text: z.string().trim().min(1, "text is empty").max(MAX_TEXT_CHARS, `text is longer than ${MAX_TEXT_CHARS} characters`),
  lang: language.default("vi"),
  gender: z.enum(Gender).default("female"),
  voice: z.string().regex(voiceName, 'an Edge voice name, e.g. "vi-VN-HoaiMyNeural"').optional().describe("wins over lang and gender"),
  rate: z.string().regex(percent, 'a relative rate, e.g. "+10%" or "-20%"').default("+0%"),
  pitch: z.string().regex(pitch, 'a relative pitch, e.g. "+5Hz", "-10%" or "+2st"').default("+0Hz"),
  volume: z.string().regex(percent, 'a relative volume, e.g. "+10%" or "-50%"').default("+0%"),
  format: z.enum(Format).default("mp3"),
};

export const generateInput = z.strictObject(ttsFields);

export const generateOutput = z.object({
  /** Signed (or public) URL of the MP3. */
  url: z.string(),
  gcs_uri: z.string(),
  /** Read from the MP3 frames, not estimated from the text. */
  duration_seconds: z.number().positive(),
  bytes: z.number().int().positive(),
  voice: z.string(),
  /** True when identical earlier audio was reused: no synthesis. */
  cached: z.boolean(),
});
