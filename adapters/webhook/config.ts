/**
 * Options of the `webhook` adapter: records a local system pushes (`POST /ingest/{sourceId}`).
 * Nothing is pulled; a pushed body is split into records and mapped like a pulled page, either in
 * the portal's own record format (like `dvcqg-file`) or by a declared mapping.
 */
import { z } from 'zod';
import { CodeTablesSchema, MappingSpecSchema } from '../../src/sdk/mapping/index.ts';

export const WebhookOptionsSchema = z.strictObject({
  /** `"portal"`: records named like the portal's fields (`MaHoSo`, `NgayTiepNhan`…); else a declared mapping. */
  mapping: z.union([z.literal('portal'), MappingSpecSchema]).default('portal'),
  tables: CodeTablesSchema.optional(),
  /** Where the records are in a pushed body (`data`, `hoSo.danhSach`); default: the body itself, or its `data`. */
  recordsPath: z.string().optional(),
  /** Path of the record key (MaHoSo); default: the mapping's MaHoSo path. */
  keyPath: z.string().optional(),
  /** At most this many records per push (the intake answers 413 above it). */
  maxRecords: z.number().int().min(1).max(100_000).default(1000),
});
export type WebhookOptions = z.infer<typeof WebhookOptionsSchema>;
export type WebhookOptionsInput = z.input<typeof WebhookOptionsSchema>;

/** A push source has no cursor: every push is stored as it arrives. */
export type WebhookCursor = null;
