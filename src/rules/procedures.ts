/**
 * The procedure catalogue (danh mục TTHC): per procedure, its legal time limit with its unit and
 * whether the 15:00 rule shifts the deadline (rules.md §12, §13.4). Versions are dated so a
 * dossier keeps the limit that applied on its receipt date (rules.md §0).
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { isClock, isDate } from './dates.ts';

export const TIME_LIMIT_UNITS = ['working_days', 'working_hours', 'calendar_days', 'months'] as const;
export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number];

export const TimeLimitSchema = z
  .object({
    /** 0 working days = "trong ngày" (same working day). */
    value: z.number().int().min(0).max(10_000),
    unit: z.enum(TIME_LIMIT_UNITS),
  })
  .refine((t) => t.value > 0 || t.unit === 'working_days', { message: 'only a working-day limit can be 0 (same day)', path: ['value'] });
export type TimeLimit = z.infer<typeof TimeLimitSchema>;

const DateSchema = z.string().refine(isDate, 'expected a real date written YYYY-MM-DD');

export const ProcedureSchema = z.object({
  /** National TTHC code, e.g. "2.000908". */
  code: z.string().trim().min(1),
  name: z.string().min(1),
  fieldCode: z.string().nullable().default(null),
  timeLimit: TimeLimitSchema,
  /** Local HH:MM after which a receipt counts from the next working day; null when the procedure says nothing (§13.4). */
  cutoff: z.string().refine(isClock, 'expected HH:MM').nullable().default(null),
  /**
   * Waiting for the applicant to pay (status 6) is not counted in the time limit, as in many land
   * procedures (rules.md §3: it depends on the sector procedure). Default: the clock runs.
   */
  pausesForPayment: z.boolean().default(false),
  /** The procedure returns a document (needed to judge e-results, 766 3.3/4.1). */
  returnsDocument: z.boolean().nullable().default(null),
  validFrom: DateSchema.nullable().default(null),
  validTo: DateSchema.nullable().default(null),
  /** Legal basis of the time limit, for people. */
  basis: z.string().nullable().default(null),
});
export type Procedure = z.infer<typeof ProcedureSchema>;

export const ProcedureCatalogSchema = z
  .object({ version: z.literal(1), note: z.string().optional(), procedures: z.array(ProcedureSchema) })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.procedures.forEach((p, i) => {
      const key = `${p.code}@${p.validFrom ?? ''}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['procedures', i, 'code'], message: `${p.code} is listed twice for the same validFrom` });
      seen.add(key);
      if (p.validFrom !== null && p.validTo !== null && p.validTo < p.validFrom) {
        ctx.addIssue({ code: 'custom', path: ['procedures', i, 'validTo'], message: 'validTo is before validFrom' });
      }
    });
  });

export interface ProcedureCatalog {
  procedures: readonly Procedure[];
  /** The version of `code` valid on `date` (YYYY-MM-DD, local); without a date, the latest version. */
  find(code: string, date?: string): Procedure | null;
}

/**
 * Validates a catalogue (parsed JSON or JSON text) and indexes it.
 *
 * @example
 * const catalog = loadProcedureCatalog(await readFile('src/rules/data/procedures.sample.json', 'utf8'));
 * catalog.find('2.000908')?.cutoff; // '15:00'
 * @throws {ValidationError} listing every issue with its path
 */
export function loadProcedureCatalog(json: unknown): ProcedureCatalog {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ValidationError('procedure catalogue is not valid JSON', [{ path: '', message: (error as Error).message }]);
    }
  }
  const parsed = ProcedureCatalogSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, ''),
      message: i.message,
      code: i.code,
    }));
    throw new ValidationError('invalid procedure catalogue', issues);
  }
  const byCode = new Map<string, Procedure[]>();
  for (const p of parsed.data.procedures) byCode.set(p.code, [...(byCode.get(p.code) ?? []), p]);
  for (const list of byCode.values()) list.sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
  return {
    procedures: parsed.data.procedures,
    find(code, date) {
      const versions = byCode.get(code) ?? [];
      const valid = date === undefined ? versions : versions.filter((p) => (p.validFrom ?? '') <= date && (p.validTo === null || date <= p.validTo));
      return valid.at(-1) ?? null;
    },
  };
}
