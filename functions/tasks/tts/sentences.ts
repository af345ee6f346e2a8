// Splits long text into parts the speech service takes in one request, at the
// most natural place that fits: sentence ends (Unicode's sentence boundaries,
// as sync/chunking.ts finds them: any script's punctuation, closing quotes,
// line breaks), then clause marks, then spaces, then between characters. Parts
// are packed greedily, so short sentences share a part.

const sentences = new Intl.Segmenter(undefined, { granularity: "sentence" });
const sentenceEnd = (text: string) => Array.from(sentences.segment(text), (s) => s.segment);
/** After a comma, semicolon or colon (Latin or CJK) and an optional space. */
const clauseEnd = (text: string) => text.split(/(?<=[,;:，；：、]\s?)(?!\s)/u);
const space = (text: string) => text.split(/(?<=\s)(?!\s)/u);
const speakable = /[\p{L}\p{N}]/u;

const bytesOf = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * Parts of at most `maxBytes` UTF-8 bytes each, in order; parts with nothing
 * to speak (only spaces or punctuation) are left out.
 */
export function splitText(text: string, maxBytes: number): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 8) throw new Error(`maxBytes must be an integer of at least 8, got ${maxBytes}`);
  const pieces = piecesWithin(text, [sentenceEnd, clauseEnd, space], maxBytes);
  return pack(pieces, maxBytes).map((part) => part.trim()).filter((part) => speakable.test(part));
}

/** Joins consecutive pieces while they fit; every piece fits on its own. */
function pack(pieces: readonly string[], maxBytes: number): string[] {
  const parts: string[] = [];
  let current = "";
  let currentBytes = 0;
  for (const piece of pieces) {
    const bytes = bytesOf(piece);
    if (current && currentBytes + bytes > maxBytes) {
      parts.push(current);
      current = "";
      currentBytes = 0;
    }
    current += piece;
    currentBytes += bytes;
  }
  if (current) parts.push(current);
  return parts;
}

/** Cuts text at the first boundary kind; a piece still too big is cut at the next kind, and so on. */
function piecesWithin(text: string, boundaries: readonly ((text: string) => string[])[], maxBytes: number): string[] {
  if (bytesOf(text) <= maxBytes) return [text];
  const [boundary, ...finer] = boundaries;
  if (!boundary) return hardCut(text, maxBytes);
  return boundary(text).flatMap((piece) => piecesWithin(piece, finer, maxBytes));
}

/** Between code points, never inside a surrogate pair. */
function hardCut(text: string, maxBytes: number): string[] {
  return pack([...text], maxBytes);
}
