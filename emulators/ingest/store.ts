// The stand-in's documents, kept in change order (updated_at, then id) so that
// pages are cut by keyset: a cursor names the last (time, id) a page held, and
// a document changed while a client pages moves behind the cursor, where the
// client still meets it, instead of shifting every later page by one.
import type { CorpusDocument } from "./corpus.ts";

export interface ListQuery {
  since?: number;
  regionId?: string;
  cursor?: { at: number; id: string };
  limit: number;
}

export interface DocumentChange {
  region_id?: string;
  title?: string;
  text?: string;
}

export class DocumentStore {
  readonly #documents = new Map<string, CorpusDocument>();
  #sorted: CorpusDocument[] | null = null;
  #lastChange = 0;

  constructor(documents: readonly CorpusDocument[]) {
    for (const document of documents) {
      this.#documents.set(document.id, { ...document });
      this.#lastChange = Math.max(this.#lastChange, Date.parse(document.updated_at));
    }
  }

  get(id: string): CorpusDocument | undefined {
    return this.#documents.get(id);
  }

  list(query: ListQuery): { documents: CorpusDocument[]; nextCursor: { at: number; id: string } | null; total: number } {
    const matching = this.#ordered().filter(
      (d) => (query.since === undefined || Date.parse(d.updated_at) > query.since) && (query.regionId === undefined || d.region_id === query.regionId),
    );
    const after = query.cursor;
    const start = after ? matching.findIndex((d) => compare(Date.parse(d.updated_at), d.id, after.at, after.id) > 0) : 0;
    const page = start < 0 ? [] : matching.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = start >= 0 && start + query.limit < matching.length;
    return { documents: page, nextCursor: more && last ? { at: Date.parse(last.updated_at), id: last.id } : null, total: matching.length };
  }

  /** Creates or changes a document; it gets a fresh updated_at, later than any before. */
  upsert(id: string, change: DocumentChange): CorpusDocument {
    const existing = this.#documents.get(id);
    if (!existing && (change.region_id === undefined || change.text === undefined)) {
      throw new Error(`document ${id} is new: region_id and text are required`);
    }
    const document: CorpusDocument = {
      id,
      region_id: change.region_id ?? existing!.region_id,
      title: change.title ?? existing?.title ?? "",
      text: change.text ?? existing!.text,
      updated_at: this.#tick(),
    };
    this.#documents.set(id, document);
    this.#sorted = null;
    return document;
  }

  /** Leaves a tombstone, as an ingest system does, so incremental readers learn of the deletion. */
  remove(id: string): CorpusDocument | undefined {
    const existing = this.#documents.get(id);
    if (!existing) return undefined;
    const tombstone: CorpusDocument = { id, region_id: existing.region_id, title: existing.title, text: "", updated_at: this.#tick(), deleted: true };
    this.#documents.set(id, tombstone);
    this.#sorted = null;
    return tombstone;
  }

  counts(): { documents: number; tombstones: number } {
    let tombstones = 0;
    for (const d of this.#documents.values()) if (d.deleted) tombstones += 1;
    return { documents: this.#documents.size - tombstones, tombstones };
  }

  #ordered(): CorpusDocument[] {
    this.#sorted ??= [...this.#documents.values()].sort((a, b) => compare(Date.parse(a.updated_at), a.id, Date.parse(b.updated_at), b.id));
    return this.#sorted;
  }

  /** Strictly increasing change times, even within one millisecond. */
  #tick(): string {
    this.#lastChange = Math.max(Date.now(), this.#lastChange + 1);
    return new Date(this.#lastChange).toISOString();
  }
}

function compare(atA: number, idA: string, atB: number, idB: string): number {
  return atA !== atB ? atA - atB : idA < idB ? -1 : idA > idB ? 1 : 0;
}
