// DocumentSource on the ingest system's HTTP API:
//   GET {INGEST_URL}/documents?since=&cursor=&limit=&region_id=  → {documents, next_cursor, total?}
//   GET {INGEST_URL}/documents/{id}                              → a document (404: never existed)
import { NonRetryableError } from "../../core/errors.ts";
import type { DocumentPage, DocumentQuery, DocumentSource, SourceDocument } from "../../tasks/sync/ports.ts";
import { requestJson } from "../http/json-request.ts";
import { ingestDocument, ingestPage, toSourceDocument } from "./wire.ts";

export interface HttpDocumentSourceOptions {
  /** Base URL of the ingest API; unset: every call fails with a configuration error. */
  url: string | undefined;
  /** Sent as X-API-Key when set. */
  apiKey?: string;
  timeoutMs: number;
}

export class HttpDocumentSource implements DocumentSource {
  readonly #options: HttpDocumentSourceOptions;

  constructor(options: HttpDocumentSourceOptions) {
    this.#options = options;
  }

  async changes(query: DocumentQuery): Promise<DocumentPage> {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.since) params.set("since", query.since);
    if (query.cursor) params.set("cursor", query.cursor);
    if (query.regionId) params.set("region_id", query.regionId);
    const raw = await this.#get(`/documents?${params}`, query.signal);
    const page = ingestPage.safeParse(raw);
    if (!page.success) throw new NonRetryableError(`ingest API sent a page that does not match its contract: ${describe(page.error.issues)}`);
    return {
      documents: page.data.documents.map(toSourceDocument),
      nextCursor: page.data.next_cursor,
      ...(page.data.total !== undefined ? { total: page.data.total } : {}),
    };
  }

  async get(id: string, signal?: AbortSignal): Promise<SourceDocument | null> {
    const raw = await this.#get(`/documents/${encodeURIComponent(id)}`, signal, [404]);
    if (raw === null) return null;
    const document = ingestDocument.safeParse(raw);
    if (!document.success) throw new NonRetryableError(`ingest API sent a document that does not match its contract: ${describe(document.error.issues)}`);
    return toSourceDocument(document.data);
  }

  async #get(path: string, signal: AbortSignal | undefined, nullOn?: number[]): Promise<unknown> {
    const { url, apiKey, timeoutMs } = this.#options;
    if (!url) throw new NonRetryableError("INGEST_URL is not configured (DOCUMENT_SOURCE=http needs it)");
    return requestJson({
      upstream: "ingest API",
      method: "GET",
      url: `${url.replace(/\/+$/, "")}${path}`,
      headers: apiKey ? { "X-API-Key": apiKey } : {},
      timeoutMs,
      ...(signal ? { signal } : {}),
      ...(nullOn ? { nullOn } : {}),
    });
  }
}

function describe(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 3).map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}
