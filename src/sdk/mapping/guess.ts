/**
 * Guesses a mapping from a sample's field names and value shapes: names matched against the
 * portal field catalogue (Vietnamese with or without diacritics, portal names, English), dates by
 * their shape. Used by `csv-xlsx` for headers and by `adapter new --from-sample`.
 */
import { guessDateFormat } from '../dates.ts';
import { DATE_FIELDS, matchField } from './fields.ts';
import { getPath, leafPaths } from './paths.ts';
import type { FieldRule, MappingSpecInput } from './spec.ts';

export interface GuessedMapping {
  mapping: MappingSpecInput & { fields: Record<string, FieldRule> };
  /** Raw paths matched to no field. */
  unmatched: string[];
  /** Date formats seen in the sample's date fields. */
  dateFormats: string[];
  /** Distinct local status values seen (for the status table). */
  statuses: string[];
}

/**
 * Guesses a mapping from sample records (top-level and nested scalar fields; arrays are left to
 * the vendor).
 *
 * @example
 * guessMapping([{ 'Mã hồ sơ': 'H48-1', 'Ngay tiep nhan': '05/03/2024 08:30' }]).mapping;
 * // { fields: { MaHoSo: 'Mã hồ sơ', NgayTiepNhan: 'Ngay tiep nhan' }, dateFormat: ['dd/MM/yyyy HH:mm'] }
 */
export function guessMapping(samples: readonly unknown[]): GuessedMapping {
  const paths = new Set<string>();
  for (const s of samples.slice(0, 200)) for (const p of leafPaths(s)) if (!p.includes('[]')) paths.add(p);
  const fields: Record<string, FieldRule> = {};
  const unmatched: string[] = [];
  let subPath: string | undefined;
  for (const path of paths) {
    const last = path.replace(/^.*\.|^\["|"\]$/g, '');
    const field = matchField(path) ?? matchField(last);
    if (field === '$subStatus') subPath = path;
    else if (field && !(field in fields)) fields[field] = path;
    else unmatched.push(path);
  }
  const dateFormats = new Set<string>();
  for (const [field, rule] of Object.entries(fields)) {
    if (!DATE_FIELDS.has(field) || typeof rule !== 'string') continue;
    for (const s of samples.slice(0, 200)) {
      const f = guessDateFormat(getPath(s, rule));
      if (f) dateFormats.add(f);
    }
  }
  const statuses = new Set<string>();
  const statusPath = fields['TrangThaiHoSo'];
  if (typeof statusPath === 'string') {
    for (const s of samples) {
      const v = getPath(s, statusPath);
      if (v !== undefined && v !== null && v !== '') statuses.add(String(v).trim());
    }
    fields['TrangThaiHoSo'] = { from: statusPath, table: 'status', ...(subPath ? { sub: subPath } : {}) };
  } else if (subPath) unmatched.push(subPath);
  if (typeof fields['MaTTHC'] === 'string') fields['MaTTHC'] = { from: fields['MaTTHC'], table: 'procedure' };
  if (typeof fields['MaDonVi'] === 'string') fields['MaDonVi'] = { from: fields['MaDonVi'], table: 'unit' };
  const formats = [...dateFormats];
  return {
    mapping: { fields, ...(formats.length ? { dateFormat: formats } : {}) },
    unmatched,
    dateFormats: formats,
    statuses: [...statuses].sort(),
  };
}
