// DocumentSource on JSON-lines files in Cloud Storage (an ingest system that
// exports instead of serving an API): every *.jsonl / *.ndjson object under a
// prefix, read in path order, one document or tombstone per line, the same
// shape as the HTTP API's documents. Name files so that path order is write
// order (e.g. "documents/2025-06-01T10-00-00Z.jsonl"): a later line wins.
import { NonRetryableError } from "../../core/errors.ts";
import type { BlobInfo, BlobStore } from "../../core/ports.ts";
import type { DocumentPage, DocumentQuery, DocumentSource, SourceDocument } from "../../tasks/sync/ports.ts";
import { ingestDocument, toSourceDocument } from "../ingest/wire.ts";

interface Position {
  /** Object path. */
  f: string;
  /** Next line to read, 0-based. */
  l: number;
}

const MAX_FILE_BYTES = 256 * 1024 * 1024;

export class JsonLinesDocumentSource implements DocumentSource {
  readonly #blobs: BlobStore;
  readonly #prefix: string;
  /** The file being paged through, so consecutive pages do not download it again. */
  #cached: { path: string; updated: number; lines: string[] } | null = null;

  constructor(blobs: BlobStore, prefix: string) {
    this.#blobs = blobs;
    this.#prefix = prefix;
  }

  async changes(query: DocumentQuery): Promise<DocumentPage> {
    const since = query.since ? Date.parse(query.since) : undefined;
    const start = query.cursor ? decodeCursor(query.cursor) : undefined;
    // A file last written at or before `since` holds no later change: skip it unread.
    const files = (await this.#files()).filter((f) => (start ? f.path >= start.f : true) && (since === undefined || f.updated.getTime() > since));
    const documents: SourceDocument[] = [];
    for (const file of files) {
      const lines = await this.#lines(file);
      const from = start && file.path === start.f ? start.l : 0;
      for (let i = from; i < lines.length; i += 1) {
        if (documents.length === query.limit) return { documents, nextCursor: encodeCursor({ f: file.path, l: i }) };
        if (query.signal?.aborted) throw query.signal.reason;
        const document = parseLine(lines[i]!, file.path, i);
        if (!document) continue;
        if (since !== undefined && Date.parse(document.updatedAt) <= since) continue;
        if (query.regionId !== undefined && document.regionId !== query.regionId) continue;
        documents.push(document);
      }
    }
    return { documents, nextCursor: null };
  }

  /** Reads every file: fine for the exports this adapter is for, slow for a large corpus. */
  async get(id: string, signal?: AbortSignal): Promise<SourceDocument | null> {
    let found: SourceDocument | null = null;
    const needle = JSON.stringify(id).slice(1, -1);
    for (const file of await this.#files()) {
      if (signal?.aborted) throw signal.reason;
      const lines = await this.#lines(file);
      for (let i = 0; i < lines.length; i += 1) {
        // A cheap test before parsing: the id must appear in the line.
        if (!lines[i]!.includes(needle)) continue;
        const document = parseLine(lines[i]!, file.path, i);
        if (document?.id === id) found = document;
      }
    }
    return found;
  }

  async #files(): Promise<BlobInfo[]> {
    const files: BlobInfo[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.#blobs.list(this.#prefix, { pageSize: 1000, ...(pageToken ? { pageToken } : {}) });
      files.push(...page.items.filter((item) => /\.(jsonl|ndjson)$/i.test(item.path)));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async #lines(file: BlobInfo): Promise<string[]> {
    if (this.#cached?.path === file.path && this.#cached.updated === file.updated.getTime()) return this.#cached.lines;
    const data = await this.#blobs.get(file.path, { maxBytes: MAX_FILE_BYTES });
    // Listed a moment ago and gone now: it was replaced or removed; its lines are no longer the source's.
    const lines = data ? data.toString("utf8").split("\n") : [];
    this.#cached = { path: file.path, updated: file.updated.getTime(), lines };
    return lines;
  }
}

function parseLine(line: string, path: string, index: number): SourceDocument | null {
  const text = line.trim();
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NonRetryableError(`${path} line ${index + 1} is not JSON`);
  }
  const parsed = ingestDocument.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NonRetryableError(`${path} line ${index + 1} is not a document: ${issue?.path.join(".") || "line"}: ${issue?.message ?? "?"}`);
  }
  return toSourceDocument(parsed.data);
}

const encodeCursor = (position: Position): string => Buffer.from(JSON.stringify(position)).toString("base64url");

function decodeCursor(cursor: string): Position {
  try {
    const position = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Position;
    if (typeof position.f === "string" && Number.isInteger(position.l) && position.l >= 0) return position;
  } catch {
    // reported below
  }
  throw new NonRetryableError(`document cursor "${cursor.slice(0, 40)}" was not made by this source`);
}
