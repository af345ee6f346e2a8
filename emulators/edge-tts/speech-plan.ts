// Turns text into a timeline of words, syllables and pauses at the normal pace.
// Everything is derived from the text alone, so the same request always gives
// the same audio, and longer text always gives longer audio: about 0.06 s per
// letter, a syllable-length per CJK character, and pauses at punctuation.

export const Vowel = ["a", "e", "i", "o", "u"] as const;
export type Vowel = (typeof Vowel)[number];

/** Relative pitch at the start, middle and end of a syllable. */
export type Contour = readonly [number, number, number];

export interface Syllable {
  seconds: number;
  onset: "none" | "noise" | "murmur";
  vowel: Vowel;
  contour: Contour;
  /** Seeds the syllable's noise and jitter. */
  seed: number;
}

export type PlanItem =
  | { kind: "pause"; seconds: number }
  | { kind: "word"; text: string; syllables: Syllable[] };

const secondsPerLetter = 0.06;
const wordGapSeconds = 0.04;
const edgeSilenceSeconds = 0.1;
const minorPauseSeconds = 0.2;
const majorPauseSeconds = 0.35;

const token = /(\p{Script=Han}|\p{Script=Hangul}|[\p{Script=Hiragana}\p{Script=Katakana}]+|[\p{L}\p{M}\p{N}'’-]+)|([.!?。！？…]+)|([,;:，；：、—–]+)|(\s+)/gu;
const wideScript = /\p{Script=Han}|\p{Script=Hangul}/u;

/** Vietnamese tone marks (after NFD) → the tone's pitch shape. */
const vietnameseTones: Record<string, Contour> = {
  "\u0301": [0.95, 1.02, 1.2], // sắc: rising
  "\u0300": [0.95, 0.88, 0.8], // huyền: low falling
  "\u0309": [0.95, 0.82, 1.0], // hỏi: dipping
  "\u0303": [1.0, 0.9, 1.22], // ngã: broken rising
  "\u0323": [0.9, 0.8, 0.72], // nặng: low drop
};
const levelTone: Contour = [1, 1, 1];
const mandarinTones: readonly Contour[] = [[1.15, 1.15, 1.15], [0.9, 1.0, 1.18], [0.88, 0.8, 1.02], [1.2, 1.0, 0.78]];
const stressed: Contour = [1.04, 1.12, 1.0];
const unstressed: Contour = [1.0, 0.97, 0.94];

export function planSpeech(text: string, locale: string): PlanItem[] {
  const language = locale.slice(0, 2).toLowerCase();
  const items: PlanItem[] = [{ kind: "pause", seconds: edgeSilenceSeconds }];
  let pendingGap = false;
  for (const [, word, major, minor] of text.normalize("NFC").matchAll(token)) {
    if (word) {
      if (pendingGap) items.push({ kind: "pause", seconds: wordGapSeconds });
      items.push({ kind: "word", text: word, syllables: syllables(word, language) });
      pendingGap = !wideScript.test(word);
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

function syllables(word: string, language: string): Syllable[] {
  const seed = hash(word);
  if (wideScript.test(word)) {
    // One character, one syllable: its sound is picked from the character itself.
    const contour = language === "zh" ? mandarinTones[seed % 4] ?? levelTone : unstressed;
    const onset = (["noise", "murmur", "none"] as const)[(seed >>> 3) % 3] ?? "none";
    return [{ seconds: 3 * secondsPerLetter, onset, vowel: Vowel[(seed >>> 5) % 5] ?? "a", contour, seed }];
  }
  const letters = [...word];
  const bare = word.normalize("NFD").toLowerCase();
  const groups = [...bare.replace(/\p{M}/gu, "").matchAll(/[aeiouy]+/g)];
  const count = Math.max(1, Math.min(groups.length, Math.ceil(letters.length / 2)));
  const seconds = (letters.length * secondsPerLetter) / count;
  return Array.from({ length: count }, (_, index): Syllable => {
    const group = groups[index]?.[0] ?? "a";
    const vowel = group[0] === "y" ? "i" : ((group[0] ?? "a") as Vowel);
    const starts = index === 0 ? bare.replace(/\p{M}/gu, "")[0] ?? "" : "";
    return { seconds, onset: onsetOf(starts, index), vowel, contour: contourOf(bare, language, index), seed: seed + index * 7919 };
  });
}

function onsetOf(firstLetter: string, index: number): Syllable["onset"] {
  if (index > 0) return "murmur";
  if ("ptkcqsfhxzj".includes(firstLetter)) return "noise";
  if ("bdgvmnlrw".includes(firstLetter)) return "murmur";
  return "none";
}

function contourOf(decomposed: string, language: string, index: number): Contour {
  if (language === "vi") {
    for (const [mark, contour] of Object.entries(vietnameseTones)) if (decomposed.includes(mark)) return contour;
    return levelTone;
  }
  return index === 0 ? stressed : unstressed;
}

/** FNV-1a: a small stable hash, so the same text always sounds the same. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
