// The tts domain's outside system: a speech service (Edge read-aloud).
import { port } from "../../core/task-kit.ts";

/** One voice of the speech service, as its voice list names it. */
export interface SpeechVoice {
  /** ShortName, e.g. "vi-VN-HoaiMyNeural". */
  name: string;
  /** e.g. "vi-VN". */
  locale: string;
  /** "Female" or "Male", as the service spells it. */
  gender: string;
}

export interface SpeechRequest {
  /** Plain text (the adapter escapes it for SSML), at most `maxTextBytes` UTF-8 bytes. */
  text: string;
  /** A name from voices(). */
  voice: string;
  /** The service's output format, e.g. "audio-24khz-48kbitrate-mono-mp3". */
  format: string;
  /** SSML prosody: "+10%", "-5Hz"… */
  rate: string;
  pitch: string;
  volume: string;
}

/** Text-to-speech (Edge read-aloud). Failures the service may recover from are retryable errors. */
export interface SpeechSynthesizer {
  /** The most text (UTF-8 bytes) one synthesize() call takes; longer text is split by the caller. */
  readonly maxTextBytes: number;
  /** The voices on offer (cached by the adapter). */
  voices(signal?: AbortSignal): Promise<SpeechVoice[]>;
  /** The audio for one part of text; never empty (no audio is an error). */
  synthesize(request: SpeechRequest, signal?: AbortSignal): Promise<Buffer>;
}


export const speech = port<SpeechSynthesizer>("speech");
