// Splits a document into chunks small enough to embed well: whole paragraphs
// and sentences packed up to a size, each chunk opening with a little of the
// one before (overlap), so a sentence cut from its context still finds it.
// Sizes are in characters (UTF-16 units), not model tokens: e5-small reads 512
// tokens, and 800 characters of Vietnamese or English stay well under that.

export interface ChunkOptions {
  /** Longest chunk, characters. Default 800. */
  maxChars: number;
  /** Characters of the previous chunk repeated at the start of the next. Default 100. */
  overlapChars: number;
}

export const defaultChunkOptions: ChunkOptions = { maxChars: 800, overlapChars: 100 };

const sentences = new Intl.Segmenter(undefined, { granularity: "sentence" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });

interface Unit {
  text: string;
  /** First unit of a paragraph: joined with a blank line, not a space. */
  opensParagraph: boolean;
}

export function chunkText(text: string, options: ChunkOptions = defaultChunkOptions): string[] {
  const { maxChars } = options;
  if (maxChars < 20) throw new Error(`maxChars ${maxChars} is too small to chunk by sentences (20 or more)`);
  const overlapChars = Math.max(0, Math.min(options.overlapChars, Math.floor(maxChars / 2)));
  const normalised = text.replace(/\r\n?/g, "\n").trim();
  if (!normalised) return [];
  if (normalised.length <= maxChars) return [normalised];

  const chunks: string[] = [];
  let current = "";
  for (const unit of units(normalised, maxChars)) {
    const joiner = current ? (unit.opensParagraph ? "\n\n" : " ") : "";
    if (current && current.length + joiner.length + unit.text.length > maxChars) {
      chunks.push(current);
      const overlap = tail(current, overlapChars);
      current = overlap && overlap.length + 1 + unit.text.length <= maxChars ? `${overlap} ${unit.text}` : unit.text;
    } else {
      current += joiner + unit.text;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Paragraphs split into sentences, and sentences longer than a chunk split into pieces. */
function* units(text: string, maxChars: number): Generator<Unit> {
  for (const paragraph of text.split(/\n[ \t]*\n+/)) {
    let opensParagraph = true;
    for (const { segment } of sentences.segment(paragraph.replace(/\s+/g, " ").trim())) {
      const sentence = segment.trim();
      if (!sentence) continue;
      for (const piece of sentence.length <= maxChars ? [sentence] : splitLong(sentence, maxChars)) {
        yield { text: piece, opensParagraph };
        opensParagraph = false;
      }
    }
  }
}

/** A sentence over the limit: cut between words, or anywhere when one "word" is itself too long (unspaced scripts). */
function splitLong(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const { segment } of words.segment(sentence)) {
    if (current.length + segment.length > maxChars) {
      if (current.trim()) pieces.push(current.trim());
      current = "";
      let rest = segment;
      while (rest.length > maxChars) {
        pieces.push(rest.slice(0, maxChars));
        rest = rest.slice(maxChars);
      }
      current = rest;
    } else {
      current += segment;
    }
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

/** At most `chars` characters from the end, starting at a word boundary when there is one. */
function tail(text: string, chars: number): string {
  if (chars === 0) return "";
  if (text.length <= chars) return text;
  const cut = text.slice(text.length - chars);
  const space = cut.search(/\s/);
  // No space in the tail: an unspaced script (Chinese), where any character is a boundary.
  return (space >= 0 ? cut.slice(space) : cut).trim();
}
