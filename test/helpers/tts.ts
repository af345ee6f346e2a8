// What the TTS integration tests share: the Edge TTS stand-in's control
// endpoint (it runs in the global setup's process), MP3 reading, unique text.
import { randomInt } from "node:crypto";
import { parseBuffer } from "music-metadata";

export interface TtsResult {
  url: string;
  gcs_uri: string;
  duration_seconds: number;
  bytes: number;
  voice: string;
  cached: boolean;
}

export function edgeControl(edgeTtsUrl: string) {
  const state = async () => (await (await fetch(`${edgeTtsUrl}/__control/state`)).json()) as { fault: string | null; syntheses: number };
  return {
    state,
    syntheses: async () => (await state()).syntheses,
    async setFault(fault: "refuse" | "close-mid-stream" | "no-audio" | "slow" | null): Promise<void> {
      const answer = await fetch(`${edgeTtsUrl}/__control/fault`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ fault }),
      });
      if (!answer.ok) throw new Error(`setting fault ${fault}: HTTP ${answer.status}`);
    },
  };
}

/** Downloads with plain fetch, as a user's player would, and reads the MP3's own duration. */
export async function download(url: string): Promise<{ status: number; contentType: string | null; audio: Buffer; seconds: number }> {
  const answer = await fetch(url);
  const audio = Buffer.from(await answer.arrayBuffer());
  const seconds = answer.ok ? (await parseBuffer(audio, { mimeType: "audio/mpeg" }, { duration: true })).format.duration ?? 0 : 0;
  return { status: answer.status, contentType: answer.headers.get("content-type"), audio, seconds };
}

/** Vietnamese text no other test (or earlier run against this stack) asked for: no accidental cache hits. */
export function uniqueVietnamese(sentence = "Xin chào, hôm nay trời đẹp quá."): string {
  return `${sentence} Mã số ${randomInt(1_000_000_000)}.`;
}
