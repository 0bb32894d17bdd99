import { z } from 'zod';

export const DvcqgFileOptionsSchema = z.strictObject({
  /** A `.json` / `.ndjson` file, or a folder whose `*.json` and `*.ndjson` files are read in name order. */
  path: z.string().min(1),
});
export type DvcqgFileOptions = z.infer<typeof DvcqgFileOptionsSchema>;

/** Files fully read (by fingerprint) and where the file being read stands. */
export interface DvcqgFileCursor {
  files: Record<string, string>;
  current?: { file: string; fingerprint: string; offset: number };
}
