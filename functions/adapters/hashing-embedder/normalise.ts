// Text normalisation and tokenisation for the hashing embedder: NFKC, lower
// case, Persian/Arabic letter variants unified, and words found by ICU's word
// breaker (Intl.Segmenter), which splits Chinese by dictionary and keeps
// Vietnamese syllables and Persian words whole.

const words = new Intl.Segmenter(undefined, { granularity: "word" });

// Arabic-script letters typed either way on Persian keyboards: one form each.
const ARABIC_VARIANTS: Record<string, string> = { "\u064A": "\u06CC", "\u0649": "\u06CC", "\u0643": "\u06A9", "\u0629": "\u0647", "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627" };
const ARABIC_VARIANT = /[\u064A\u0649\u0643\u0629\u0623\u0625\u0622]/g;
// Harakat, superscript alef and tatweel carry no meaning for matching.
const ARABIC_MARKS = /[\u064B-\u065F\u0670\u0640]/g;
const PERSIAN_DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;
// ZWNJ joins the parts of one Persian word ("می‌روم"); people type it, a space, or nothing.
const ZWNJ = /\u200C/g;

export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(ARABIC_VARIANT, (ch) => ARABIC_VARIANTS[ch] ?? ch)
    .replace(ARABIC_MARKS, "")
    .replace(PERSIAN_DIGITS, (ch) => String((ch.codePointAt(0)! & 0xf) % 10))
    .replace(ZWNJ, "");
}

/** Word tokens of normalised text, punctuation and spaces dropped. */
export function tokenise(normalised: string): string[] {
  const tokens: string[] = [];
  for (const { segment, isWordLike } of words.segment(normalised)) {
    if (isWordLike) tokens.push(segment);
  }
  return tokens;
}

/** The word without diacritics ("hà nội" → "ha noi", "đà" → "da"): people often type Vietnamese without them. */
export function withoutMarks(word: string): string {
  return word.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").normalize("NFC");
}

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** Scripts written without spaces, where single characters carry meaning. */
export const isUnspaced = (word: string): boolean => UNSPACED.test(word);
