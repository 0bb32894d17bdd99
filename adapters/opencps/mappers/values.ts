/** Small readers shared by the OpenCPS mappers: empty text as null, OpenCPS's three date families. */
import type { ValidationIssue } from '../../../src/sdk/index.ts';
import { parseDate } from '../../../src/sdk/index.ts';

/** Trimmed text, or null when empty or absent. */
export const nz = (v: string | undefined | null): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

/** `dd/MM/yyyy HH:mm:ss` local (list, detail), `dd/MM/yyyy`, epoch ms (history), ISO with a lying `Z`. */
export function opencpsDate(value: string | number | undefined, path: string, issues: ValidationIssue[]): string | null {
  if (value === undefined || value === '' || value === 0) return null;
  const format = typeof value === 'number' || /^\d{11,}$/.test(value) ? 'epoch-ms' : /^\d{4}-/.test(value) ? 'iso-local' : 'd/M/yyyy[ H:mm[:ss]]';
  const r = parseDate(value, format);
  if (r.ok) return r.value;
  issues.push({ path, message: `${r.message} (expected dd/MM/yyyy HH:mm:ss)` });
  return null;
}

