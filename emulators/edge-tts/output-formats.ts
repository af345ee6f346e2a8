// The `outputFormat` values of speech.config the stand-in can honour. The real
// read-aloud endpoint accepts only a few MP3 formats (and WebM/Opus, which we
// cannot encode); anything else ends the connection.

export const OutputFormat = [
  "audio-24khz-48kbitrate-mono-mp3",
  "audio-24khz-96kbitrate-mono-mp3",
  "audio-48khz-96kbitrate-mono-mp3",
] as const;
export type OutputFormat = (typeof OutputFormat)[number];

/** What the service assumes when speech.config names no format. */
export const defaultOutputFormat: OutputFormat = "audio-24khz-48kbitrate-mono-mp3";

export interface Mp3Settings {
  sampleRate: number;
  kbps: number;
}

const settings: Record<OutputFormat, Mp3Settings> = {
  "audio-24khz-48kbitrate-mono-mp3": { sampleRate: 24_000, kbps: 48 },
  "audio-24khz-96kbitrate-mono-mp3": { sampleRate: 24_000, kbps: 96 },
  "audio-48khz-96kbitrate-mono-mp3": { sampleRate: 48_000, kbps: 96 },
};

export function isOutputFormat(value: string): value is OutputFormat {
  return (OutputFormat as readonly string[]).includes(value);
}

export function mp3Settings(format: OutputFormat): Mp3Settings {
  return settings[format];
}
