// The stand-in's voice: text becomes a timeline of words and pauses, each word
// a tone at the voice's pitch, each pause silence. Not speech, but it is made
// from the text alone (the same request gives the same bytes) and lasts as long
// as the text takes to say: about 0.06 s a letter, 0.18 s a CJK character, and
// pauses at punctuation, divided by the prosody's rate. That is what durations,
// word boundaries and the platform's checks of them rely on.

export interface Voicing {
  sampleRate: number;
  /** The voice's pitch in Hz after prosody. */
  baseHz: number;
  /** 0..1 after the prosody's volume. */
  gain: number;
  /** Speaking-rate multiplier: durations are divided by it. */
  rate: number;
}

type PlanItem = { kind: "pause"; seconds: number } | { kind: "word"; text: string; seconds: number };

const secondsPerLetter = 0.06;
const wordGapSeconds = 0.04;
const edgeSilenceSeconds = 0.1;
const minorPauseSeconds = 0.2;
const majorPauseSeconds = 0.35;

const token = /(\p{Script=Han}|\p{Script=Hangul}|[\p{Script=Hiragana}\p{Script=Katakana}]+|[\p{L}\p{M}\p{N}'’-]+)|([.!?。！？…]+)|([,;:，；：、—–]+)|(\s+)/gu;
const wideScript = /\p{Script=Han}|\p{Script=Hangul}/u;

export function planSpeech(text: string): PlanItem[] {
  const items: PlanItem[] = [{ kind: "pause", seconds: edgeSilenceSeconds }];
  let pendingGap = false;
  for (const [, word, major, minor] of text.normalize("NFC").matchAll(token)) {
    if (word) {
      if (pendingGap) items.push({ kind: "pause", seconds: wordGapSeconds });
      const wide = wideScript.test(word);
      items.push({ kind: "word", text: word, seconds: (wide ? 3 : [...word].length) * secondsPerLetter });
      pendingGap = !wide;
    } else if (major || minor) {
      items.push({ kind: "pause", seconds: major ? majorPauseSeconds : minorPauseSeconds });
      pendingGap = false;
    } else {
      pendingGap = items.at(-1)?.kind === "word";
    }
  }
  items.push({ kind: "pause", seconds: edgeSilenceSeconds });
  return items;
}

export function sampleCount(seconds: number, voicing: Voicing): number {
  return Math.round((seconds / voicing.rate) * voicing.sampleRate);
}

/** A word: the voice's tone and two harmonics, faded in and out; a pause: silence. */
export function render(item: PlanItem, voicing: Voicing): Float32Array {
  const out = new Float32Array(sampleCount(item.seconds, voicing));
  if (item.kind === "pause") return out;
  const fade = Math.max(1, Math.min(out.length / 3, 0.01 * voicing.sampleRate));
  const step = (2 * Math.PI * voicing.baseHz) / voicing.sampleRate;
  for (let i = 0; i < out.length; i++) {
    const envelope = Math.min(1, i / fade, (out.length - 1 - i) / fade);
    out[i] = 0.5 * voicing.gain * envelope * (0.6 * Math.sin(step * i) + 0.3 * Math.sin(2 * step * i) + 0.1 * Math.sin(3 * step * i));
  }
  return out;
}

/** FNV-1a: a small stable hash, so each voice keeps its own pitch. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
