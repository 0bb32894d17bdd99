/**
 * Input checks of the simulated portal. A record is judged with the strict wire schemas of
 * `schemas/portal.ts`, plus one rule the schemas cannot see: no number or boolean anywhere,
 * not even in a field the schema does not know (the portal's clients send every scalar as a string).
 *
 * Messages name the record's MaHoSo and every offending field path, e.g.
 * `hồ sơ 000.31.38.H56-240715-0012: TaiLieuNop[0].DuocSoHoa: expected a string, got number`.
 */
import type { z } from 'zod';
import { PortalDossierSchema, PortalProgressSchema } from '../../schemas/portal.ts';
import { formatPath } from '../dossier/index.ts';

interface Issue {
  path: string;
  message: string;
}

/** Paths of numbers and booleans anywhere in a JSON value. */
function nonStringScalars(value: unknown, path: PropertyKey[], out: Issue[]): void {
  if (typeof value === 'number' || typeof value === 'boolean') {
    out.push({ path: formatPath(path), message: `expected a string, got ${typeof value}` });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nonStringScalars(v, [...path, i], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nonStringScalars(v, [...path, k], out);
  }
}

function recordIssues(schema: z.ZodType, record: unknown): Issue[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return [{ path: '(record)', message: 'expected an object' }];
  }
  const parsed = schema.safeParse(record);
  const issues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: formatPath(i.path) || '(record)', message: i.message }));
  const walked: Issue[] = [];
  nonStringScalars(record, [], walked);
  const seen = new Set(issues.map((i) => i.path));
  return [...issues, ...walked.filter((i) => !seen.has(i.path))];
}

function codeOf(record: unknown, index: number): string {
  const code = (record as { MaHoSo?: unknown } | null)?.MaHoSo;
  return typeof code === 'string' && code !== '' ? code : `data[${index}]`;
}

function validateList(schema: z.ZodType, data: unknown): string | null {
  if (!Array.isArray(data) || data.length === 0) return 'data: expected a non-empty array';
  const problems: string[] = [];
  data.forEach((record, index) => {
    const issues = recordIssues(schema, record);
    if (issues.length) {
      problems.push(`hồ sơ ${codeOf(record, index)}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    }
  });
  return problems.length ? `Dữ liệu không hợp lệ: ${problems.join(' | ')}` : null;
}

/** Checks `DongBoHoSoMC` data; returns the rejection message or null when every record is valid. */
export function validateDossierList(data: unknown): string | null {
  return validateList(PortalDossierSchema, data);
}

/** Checks `CapNhatTienDoHoSoMC` data; returns the rejection message or null. */
export function validateProgressList(data: unknown): string | null {
  return validateList(PortalProgressSchema, data);
}
