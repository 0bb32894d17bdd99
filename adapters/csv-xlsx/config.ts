/**
 * Options and cursor of the `csv-xlsx` adapter: export files dropped in a folder.
 */
import { z } from 'zod';
import { CodeTablesSchema, MappingSpecSchema } from '../../src/sdk/index.ts';

export const CSV_ENCODINGS = ['utf-8', 'windows-1258', 'tcvn3', 'vni', 'auto'] as const;

export const CsvXlsxOptionsSchema = z.strictObject({
  /** A `.csv`/`.tsv`/`.txt`/`.xlsx` file, or a folder whose such files are read in name order. */
  path: z.string().min(1),
  /** Encoding of CSV files (XLSX is always Unicode); `auto` detects it per file. */
  encoding: z.enum(CSV_ENCODINGS).default('auto'),
  /** Format(s) of date cells; `iso` and `portal` (yyyyMMddHHmmss) are always tried after them. */
  dateFormat: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default(['dd/MM/yyyy HH:mm[:ss]', 'dd/MM/yyyy']),
  /** CSV field separator; default: the most frequent of `,` `;` tab `|` in the header line. */
  delimiter: z.string().length(1).optional(),
  /** Declared mapping; its fields override those guessed from the headers (Vietnamese or portal names). */
  mapping: MappingSpecSchema.partial().optional(),
  /** This source's code tables (status + sub-status, procedure, unit). */
  tables: CodeTablesSchema.partial().optional(),
  /** XLSX: the worksheet to read (default: the first). */
  sheet: z.string().min(1).optional(),
});
export type CsvXlsxOptions = z.infer<typeof CsvXlsxOptionsSchema>;

/** Files fully read (by fingerprint) and where the file being read stands. */
export interface CsvXlsxCursor {
  files: Record<string, string>;
  /** `row`: data rows consumed; `byte`: where the next CSV record starts; `line`: its line number. */
  current?: { file: string; fingerprint: string; row: number; byte?: number; line?: number };
}
