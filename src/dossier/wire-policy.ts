/**
 * What a target's profile changes on the wire, never in the ledger (the ledger keeps the record as
 * the source gave it):
 *
 * - text limits (`targets[].limits`, `targets[].overLength`): real portals reject `GhiChu` > 2000,
 *   `TrichYeuHoSo` > 1000, `NguoiXuLy` > 50, `TenTepDinhKem` > 4000, `TenGiayTo` > 2000 characters;
 *   a longer text is cut on a character boundary (never inside a surrogate pair or a combining
 *   sequence, NFC kept) with a warning, or the delivery is held (`quarantine`);
 * - the MaHoSo prefix policy (`targets[].codePrefix`): a code whose first segment is not a unit code
 *   of the province is reported, or rewritten to `<unit code>-<original>` with the original in `MaHoSoKhac`;
 * - progress padding (`targets[].padProgress`): a status-2 item at reception when the source sent
 *   none, and an end item at the finish date (indicator 2.1 reads the end time from the progress stream).
 */
import { UNIT_CODE_RE, type Dossier, type DossierProgress } from '../../schemas/dossier.ts';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { dossierToPortal, progressToPortal } from './to-portal.ts';

/** Longest text a portal accepts per wire field, in characters (UTF-16 code units, as .NET and Java count them). */
export const DEFAULT_TEXT_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  GhiChu: 2000,
  TrichYeuHoSo: 1000,
  NguoiXuLy: 50,
  TenTepDinhKem: 4000,
  TenGiayTo: 2000,
});

export interface WirePolicy {
  /** Field → max characters; merged over DEFAULT_TEXT_LIMITS. */
  limits?: Record<string, number> | undefined;
  overLength?: 'truncate' | 'quarantine' | undefined;
  codePrefix?: 'keep' | 'report' | 'rewrite' | undefined;
  padProgress?: boolean | undefined;
  /** The target's own unit code (madonvi), e.g. `000.00.00.H56`: its last segment is the province. */
  unitCode?: string | undefined;
}

/** One thing the wire record says differently from the ledger, kept with the delivery. */
export interface WireWarning {
  kind: 'truncated' | 'over_length' | 'code_prefix' | 'code_rewritten' | 'progress_padded' | 'catalog_filled';
  /** Where in the wire record (`TaiLieuNop[0].TenTepDinhKem`, `progress[3].NguoiXuLy`, `MaHoSo`). */
  path: string;
  message: string;
  length?: number;
  limit?: number;
}

export interface PreparedWire {
  wire: PortalDossier & Record<string, unknown>;
  progress: PortalProgress[];
  warnings: WireWarning[];
  /** Set with `overLength: "quarantine"`: why the delivery is held (names the dossier and the fields). */
  held: string | null;
}

const segmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/**
 * The longest prefix of `text` (NFC) of at most `max` UTF-16 code units that ends on a grapheme
 * boundary: a surrogate pair or a letter with its combining marks is never split.
 *
 * @example cutText('Nguyễn Văn An', 6) // 'Nguyễn'
 */
export function cutText(text: string, max: number): string {
  const s = text.normalize('NFC');
  if (s.length <= max) return s;
  let end = 0;
  for (const { segment, index } of segmenter.segment(s)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  let out = s.slice(0, end).normalize('NFC');
  // NFC of a prefix is the prefix for real text; guard the rare expanding singletons anyway.
  while (out.length > max) out = [...segmenter.segment(out)].slice(0, -1).map((x) => x.segment).join('');
  // A first "letter" longer than the whole limit (a run of combining marks): cut on a code point
  // boundary rather than send nothing.
  if (out === '' && max > 0) {
    for (const ch of s) {
      if (out.length + ch.length > max) break;
      out += ch;
    }
  }
  return out;
}

/** Applies the limits to every string field of `value` named in `limits`, at any depth. */
function limitTexts(value: unknown, limits: Record<string, number>, path: string, hits: Array<{ path: string; length: number; limit: number; obj: Record<string, unknown>; key: string }>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => limitTexts(v, limits, `${path}[${i}]`, hits));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    const p = path ? `${path}.${key}` : key;
    const limit = limits[key];
    if (typeof v === 'string' && limit !== undefined) {
      // Measured as sent: in NFC (a decomposed source text is longer than the same text composed).
      const nfc = v.normalize('NFC');
      if (nfc.length > limit) hits.push({ path: p, length: nfc.length, limit, obj, key });
      else if (nfc !== v) obj[key] = nfc;
    } else if (typeof v === 'object') limitTexts(v, limits, p, hits);
  }
}

/** The province part of a unit code (`000.00.00.H56` → `H56`), or null. */
export function provinceOf(unitCode: string | null | undefined): string | null {
  if (!unitCode || !UNIT_CODE_RE.test(unitCode)) return null;
  return unitCode.slice(unitCode.lastIndexOf('.') + 1);
}

/**
 * Whether a MaHoSo starts with a unit code of the province (`000.20.38.H56-240402-0007` for H56).
 * With `units`, the first segment must also be one of those codes.
 */
export function codeHasProvincePrefix(code: string, province: string, units?: ReadonlySet<string>): boolean {
  const first = code.split('-')[0] ?? '';
  if (!UNIT_CODE_RE.test(first) || provinceOf(first) !== province) return false;
  return units ? units.has(first) : true;
}

/** Progress as a target with `padProgress` sends it: reception and end items added when missing. */
export function padProgress(d: Dossier): { progress: DossierProgress[]; added: string[] } {
  const progress = [...d.progress];
  const added: string[] = [];
  const handler = progress[0]?.handler ?? 'Bộ phận Một cửa';
  const receivedAt = d.dates.receivedAt;
  if (receivedAt && !progress.some((p) => p.status === 2)) {
    progress.unshift({ handler, title: null, at: receivedAt, department: 'Bộ phận Một cửa', action: 'Tiếp nhận hồ sơ', status: 2, startedAt: receivedAt, dueAt: null });
    added.push('reception');
  }
  const finishedAt = d.dates.finishedAt;
  const last = progress.at(-1);
  if (finishedAt && !progress.some((p) => Date.parse(p.at) >= Date.parse(finishedAt))) {
    progress.push({
      handler: last?.handler ?? handler,
      title: null,
      at: finishedAt,
      department: last?.department ?? null,
      action: 'Kết thúc xử lý',
      status: d.status.code,
      startedAt: last?.at ?? receivedAt ?? finishedAt,
      dueAt: d.dates.dueAt,
    });
    added.push('end');
  }
  return { progress, added };
}

/**
 * The wire records of a dossier for a target, with what the profile changed.
 *
 * @example prepareWire(dossier, { overLength: 'truncate' }).warnings // [{ kind: 'truncated', path: 'GhiChu', … }]
 */
export function prepareWire(d: Dossier, policy: WirePolicy = {}, units?: ReadonlySet<string>): PreparedWire {
  const warnings: WireWarning[] = [];
  let code = d.code;
  const wire = dossierToPortal(d);

  const province = provinceOf(policy.unitCode);
  const prefixPolicy = policy.codePrefix ?? 'report';
  if (prefixPolicy !== 'keep' && province && !codeHasProvincePrefix(d.code, province, units)) {
    const unit = d.unit.code && provinceOf(d.unit.code) === province ? d.unit.code : (policy.unitCode as string);
    if (prefixPolicy === 'rewrite') {
      code = `${unit}-${d.code}`;
      wire.MaHoSo = code;
      wire['MaHoSoKhac'] = d.code;
      warnings.push({ kind: 'code_rewritten', path: 'MaHoSo', message: `MaHoSo ${d.code} does not start with a unit code of ${province}: sent as ${code}, the original in MaHoSoKhac` });
    } else {
      warnings.push({ kind: 'code_prefix', path: 'MaHoSo', message: `MaHoSo ${d.code} does not start with a unit code of ${province} (e.g. ${unit}-…)` });
    }
  }

  let items = d.progress;
  if (policy.padProgress) {
    const padded = padProgress(d);
    items = padded.progress;
    for (const a of padded.added) {
      warnings.push({ kind: 'progress_padded', path: 'progress', message: a === 'reception' ? 'a status-2 reception item added at NgayTiepNhan (the source sent none)' : 'an end item added at NgayKetThucXuLy' });
    }
  }
  const progress = items.map((p) => progressToPortal(code, p));

  const limits = { ...DEFAULT_TEXT_LIMITS, ...(policy.limits ?? {}) };
  const hits: Parameters<typeof limitTexts>[3] = [];
  limitTexts(wire, limits, '', hits);
  progress.forEach((p, i) => limitTexts(p, limits, `progress[${i}]`, hits));
  const quarantine = policy.overLength === 'quarantine';
  for (const h of hits) {
    if (!quarantine) h.obj[h.key] = cutText(h.obj[h.key] as string, h.limit);
    warnings.push({
      kind: quarantine ? 'over_length' : 'truncated',
      path: h.path,
      length: h.length,
      limit: h.limit,
      message: quarantine
        ? `${h.path} has ${h.length} characters, the portal accepts at most ${h.limit}`
        : `${h.path} cut from ${h.length} to ${h.limit} characters on the wire (the ledger keeps the full text)`,
    });
  }
  const held = quarantine && hits.length
    ? `held: dossier ${d.code} has text longer than the portal accepts (${hits.map((h) => `${h.path} ${h.length} > ${h.limit}`).join(', ')}); shorten it at the source or raise targets[].limits, then \`lienthong deliveries retry\``
    : null;
  return { wire, progress, warnings, held };
}
