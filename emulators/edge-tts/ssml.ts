// Reads the SSML of a turn: which voice says what, with which prosody. Only the
// elements the read-aloud endpoint honours (speak, voice, prosody) matter;
// other tags are dropped and their text kept. Errors carry the reason the real
// service puts in its close frame (code 1007).
import { neutralProsody, parsePitch, parseRate, parseVolume } from "./prosody.ts";
import type { Prosody } from "./prosody.ts";

export class SsmlError extends Error {
  override name = "SsmlError";
}

export interface SpeechSegment {
  /** As written in <voice name>; resolved against the voice list later. */
  voiceName: string;
  text: string;
  prosody: Prosody;
}

const knownEntity = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i;
const attribute = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const voiceElement = /<voice\b([^>]*)>([\s\S]*?)<\/voice>/g;
const prosodyElement = /<prosody\b([^>]*)>/;

export function parseSsml(ssml: string): SpeechSegment[] {
  rejectBareAmpersands(ssml);
  if (!/<speak\b[\s\S]*<\/speak>/.test(ssml)) throw new SsmlError("SSML is invalid");
  const segments: SpeechSegment[] = [];
  for (const [, voiceAttributes = "", inner = ""] of ssml.matchAll(voiceElement)) {
    const voiceName = attributes(voiceAttributes).get("name");
    if (!voiceName) throw new SsmlError("SSML is invalid");
    const prosodyAttributes = attributes(prosodyElement.exec(inner)?.[1] ?? "");
    segments.push({ voiceName, text: plainText(inner), prosody: prosody(prosodyAttributes) });
  }
  if (segments.length === 0) throw new SsmlError("SSML is invalid");
  return segments;
}

/** An unescaped "&" (user text pasted into SSML) is the commonest real failure. */
function rejectBareAmpersands(ssml: string): void {
  for (let at = ssml.indexOf("&"); at !== -1; at = ssml.indexOf("&", at + 1)) {
    if (knownEntity.test(ssml.slice(at, at + 12))) continue;
    const before = ssml.slice(0, at).split("\n");
    const line = before.length;
    const position = (before.at(-1)?.length ?? 0) + 1;
    throw new SsmlError(`An error occurred while parsing EntityName. Line ${line}, position ${position}.`);
  }
}

function attributes(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name = "", doubleQuoted, singleQuoted] of source.matchAll(attribute)) {
    found.set(name.toLowerCase(), decodeEntities(doubleQuoted ?? singleQuoted ?? ""));
  }
  return found;
}

function prosody(attrs: Map<string, string>): Prosody {
  const read = <T>(name: string, parse: (raw: string) => T | undefined, fallback: T): T => {
    const raw = attrs.get(name);
    if (raw === undefined) return fallback;
    const value = parse(raw);
    if (value === undefined) throw new SsmlError("SSML is invalid");
    return value;
  };
  return {
    rate: read("rate", parseRate, neutralProsody.rate),
    pitch: read("pitch", parsePitch, neutralProsody.pitch),
    volume: read("volume", parseVolume, neutralProsody.volume),
  };
}

function plainText(markup: string): string {
  return decodeEntities(markup.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] !== "#") return named[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
