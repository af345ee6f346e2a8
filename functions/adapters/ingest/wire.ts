// The ingest system's document on the wire (HTTP answers and JSON-lines files alike).
import { z } from "zod";
import type { SourceDocument } from "../../tasks/sync/ports.ts";

export const ingestDocument = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  /** The travel bot numbers its regions; other sources name them. Kept as text either way. */
  region_id: z.union([z.string(), z.number().int()]).transform(String),
  title: z.string().nullish().transform((t) => t ?? ""),
  text: z.string().nullish().transform((t) => t ?? ""),
  updated_at: z.iso.datetime({ offset: true }),
  deleted: z.boolean().optional().default(false),
});

export const ingestPage = z.object({
  documents: z.array(ingestDocument),
  next_cursor: z.string().nullish().transform((c) => c || null),
  total: z.number().int().min(0).optional(),
});

export function toSourceDocument(d: z.output<typeof ingestDocument>): SourceDocument {
  return { id: d.id, regionId: d.region_id, title: d.title, text: d.deleted ? "" : d.text, updatedAt: new Date(d.updated_at).toISOString(), deleted: d.deleted };
}
