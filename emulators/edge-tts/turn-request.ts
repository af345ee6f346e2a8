// Decides whether the service would take a turn, and if so with which voices,
// pitch, pace and MP3 settings. A refusal carries the reason the real service
// puts in its close frame.
import { isOutputFormat, mp3Settings } from "./output-formats.ts";
import type { Mp3Settings } from "./output-formats.ts";
import { pitchHz } from "./prosody.ts";
import { hash, type Voicing } from "./speech.ts";
import { parseSsml, SsmlError } from "./ssml.ts";
import type { SpeechSegment } from "./ssml.ts";
import { findVoice } from "./voices.ts";
import type { EdgeVoice } from "./voices.ts";

export interface TurnRequest {
  requestId: string;
  ssml: string;
  /** From the connection's last speech.config. */
  outputFormat: string;
  wordBoundaries: boolean;
  sentenceBoundaries: boolean;
}

interface VoicedSegment {
  text: string;
  voice: EdgeVoice;
  voicing: Voicing;
}

export type TurnDecision =
  | { accepted: true; mp3: Mp3Settings; segments: VoicedSegment[] }
  | { accepted: false; reason: string };

export function decideTurn(request: TurnRequest): TurnDecision {
  if (!isOutputFormat(request.outputFormat)) {
    return { accepted: false, reason: `Unsupported output format: ${request.outputFormat}.` };
  }
  const mp3 = mp3Settings(request.outputFormat);
  let parsed: SpeechSegment[];
  try {
    parsed = parseSsml(request.ssml);
  } catch (error) {
    if (error instanceof SsmlError) return { accepted: false, reason: error.message };
    throw error;
  }
  const segments: VoicedSegment[] = [];
  for (const segment of parsed) {
    const voice = findVoice(segment.voiceName);
    if (!voice) return { accepted: false, reason: `Unsupported voice ${segment.voiceName}.` };
    segments.push({ text: segment.text, voice, voicing: voicingFor(voice, segment, mp3.sampleRate) });
  }
  return { accepted: true, mp3, segments };
}

function voicingFor(voice: EdgeVoice, segment: SpeechSegment, sampleRate: number): Voicing {
  const female = voice.Gender === "Female";
  // Each voice gets its own pitch within ±8 % of a typical female or male voice.
  const personal = 0.92 + ((hash(voice.ShortName) % 1000) / 1000) * 0.16;
  return {
    sampleRate,
    baseHz: pitchHz(segment.prosody.pitch, (female ? 210 : 115) * personal),
    gain: segment.prosody.volume,
    rate: segment.prosody.rate,
  };
}
