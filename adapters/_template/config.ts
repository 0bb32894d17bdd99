/**
 * The options of `_template` (a source's `options` in lienthong.config.json) and its cursor. The
 * pipeline parses the options with `OptionsSchema` and hands the parsed, typed value to `pull` and
 * `map`; secrets are named in the adapter's `secretFields`, never logged.
 */
import { CodeTablesSchema, z } from '../../src/sdk/index.ts';

export const OptionsSchema = z.strictObject({
  /** A sample-shaped file, or a folder of them (`.json`, `.ndjson`, `.csv`, `.tsv`, `.xml`, read in name order). */
  path: z.string().min(1),
  /** This source's code tables (status + sub-status, procedure, unit), over the mapping's own. */
  tables: CodeTablesSchema.partial().optional(),
});
export type Options = z.infer<typeof OptionsSchema>;

/** Where a pull resumes: the files read to the end, and the file being read with its next record. */
export interface Cursor {
  done: string[];
  current?: { file: string; offset: number };
}
