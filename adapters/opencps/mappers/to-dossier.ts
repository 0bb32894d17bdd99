/**
 * OpenCPS raw record (list row + detail + history, see `raw.ts`) → canonical dossier. Pure.
 * Every problem is returned with its JSON path in the raw record (`list.receiveDate`,
 * `logs[2].createDate`); nothing is thrown for bad input.
 */
import { DossierSchema, statusOf, unitCodeFromDossierCode, type Dossier, type StatusCode } from '../../../schemas/dossier.ts';
import { zodIssues } from '../../../src/sdk/index.ts';
import type { ValidationIssue } from '../../../src/sdk/index.ts';
import type { MapOutcome } from '../../../src/sdk/index.ts';
import { repairDeep } from '../../../src/sdk/index.ts';
import { OPENCPS_DEFAULT_STATUS_MAP, type OpencpsOptions } from '../config.ts';
import { OpencpsDossierSchema, type OpencpsDossier } from '../raw.ts';
import { mapHistory, mapSequences } from './history.ts';
import { nz, opencpsDate } from './values.ts';
import { setOwn } from '../../../src/sdk/own.ts';

/** The parts of the options the mapping reads (code tables). */
export type OpencpsMapOptions = Partial<Pick<OpencpsOptions, 'statusMap' | 'subStatusMap' | 'unitCodes' | 'procedureCodes' | 'stepStatusMap' | 'tables' | 'interconnection' | 'dvcqgOrigin'>>;

/** OpenCPS's `systemId` of a dossier submitted on the national portal (DVCQG). */
export const OPENCPS_DVCQG_SYSTEM_ID = '5';

const scalarText = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/**
 * Why a dossier is kept but not pushed, or undefined: an interconnection copy (OpenCPS skips
 * `originDossierId ≠ 0` / an `originDossierNo` itself; pushing it counts the dossier twice on DVCQG),
 * or a dossier submitted on DVCQG (`systemId` 5: DVCQG counts it already, OpenCPS reports only its
 * status by `DongBoTrangThaiHoSo`). Each can be pushed anyway with `interconnection` / `dvcqgOrigin: "push"`.
 *
 * @example
 * notPushedOf({ originDossierId: 190500, originDossierNo: 'STP.240301.00007' }, {});
 * // { kind: 'interconnection_copy', reason: 'interconnection copy of OpenCPS dossier 190500 (STP.240301.00007): …' }
 */
export function notPushedOf(row: Record<string, unknown>, options: OpencpsMapOptions): Dossier['notPushed'] {
  const originId = scalarText(row['originDossierId']);
  const originNo = scalarText(row['originDossierNo']);
  if ((options.interconnection ?? 'skip') === 'skip' && ((originId !== '' && originId !== '0') || originNo !== '')) {
    const origin = originId !== '' && originId !== '0' ? `OpenCPS dossier ${originId}${originNo ? ` (${originNo})` : ''}` : `dossier ${originNo}`;
    return {
      kind: 'interconnection_copy',
      reason: `interconnection copy of ${origin}: OpenCPS never pushes copies and the origin is counted on DVCQG already, so it is kept here but not pushed (options.interconnection "push" sends it)`,
    };
  }
  if ((options.dvcqgOrigin ?? 'skip') === 'skip' && scalarText(row['systemId']) === OPENCPS_DVCQG_SYSTEM_ID) {
    return {
      kind: 'dvcqg_origin',
      reason: 'submitted on DVCQG (systemId 5): DVCQG counts it already (OpenCPS reports only its status, by DongBoTrangThaiHoSo), so it is kept here but not pushed (options.dvcqgOrigin "push" sends it)',
    };
  }
  return undefined;
}


/** National status of a dossier: sub-status table, then status table, then the defaults. */
export function nationalStatus(status: string, subStatus: string | null, options: OpencpsMapOptions): StatusCode | undefined {
  const t = options.tables;
  const sub = subStatus ? (t?.subStatus?.[`${status}/${subStatus}`] ?? t?.subStatus?.[subStatus] ?? options.subStatusMap?.[subStatus]) : undefined;
  return (sub ?? t?.status?.[status] ?? options.statusMap?.[status] ?? OPENCPS_DEFAULT_STATUS_MAP[status]) as StatusCode | undefined;
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * Maps one raw record.
 *
 * @example
 * toDossier({ list: fixtureA.data[1], detail: null, logs: fixtureC.data }, { unitCodes: { SXD: '000.00.20.H99' } });
 * // { ok: true, value: { code: 'SXD.240311.00044', status: { code: 4, name: 'processing' }, … } }
 */
export function toDossier(raw: unknown, options: OpencpsMapOptions = {}): MapOutcome {
  // A bare list or detail row (a vendor's sample for `adapter check`) is read as `{ list: row }`.
  const given = asObject(raw);
  const rec = given && !('list' in given) && 'dossierId' in given ? { list: given } : given;
  const list = asObject(rec?.['list']);
  if (!rec || !list) return { ok: false, issues: [{ path: 'list', message: 'expected the OpenCPS list row as an object' }] };
  const detail = asObject(rec['detail']);
  // The detail is database truth; the list is the index. The detail's known blanks never win (§2.2).
  const merged: Record<string, unknown> = { ...list };
  for (const [k, v] of Object.entries(detail ?? {})) if (v !== '' && v !== null && !['serviceLevel', 'processUnit', 'dossierIdCTN'].includes(k)) setOwn(merged, k, v);
  const parsed = OpencpsDossierSchema.safeParse(merged);
  const where = (k: string) => (detail && k in detail && detail[k] !== '' ? `detail.${k}` : `list.${k}`);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.length ? where(String(i.path[0])) + i.path.slice(1).map((p) => `.${String(p)}`).join('') : 'list', message: i.message, code: i.code })) };
  const repaired = repairDeep(parsed.data);
  if (repaired.issues.length) return { ok: false, issues: repaired.issues.map((i) => ({ ...i, path: where(i.path) })) };
  const d: OpencpsDossier = repaired.value;
  const issues: ValidationIssue[] = [];
  const warnings = repaired.warnings.map((w) => ({ path: where(w.path), message: w.message }));
  for (const m of (rec['fetchWarnings'] as string[] | undefined) ?? []) warnings.push({ path: '', message: m });
  if (typeof merged['applicantIdNo'] === 'number') {
    warnings.push({ path: where('applicantIdNo'), message: 'arrived as a JSON number: a leading zero may have been lost' });
  }

  const code = nz(d.dossierNo);
  if (!code) issues.push({ path: where('dossierNo'), message: 'is empty: OpenCPS numbers a dossier while receiving it; it is taken once numbered' });
  const subStatus = nz(d.dossierSubStatus);
  const status = nationalStatus(d.dossierStatus, subStatus, options);
  if (status === undefined) {
    issues.push({
      path: where('dossierStatus'),
      code: 'unmapped_status',
      message: `local status "${d.dossierStatus}"${subStatus ? ` (sub-status "${subStatus}")` : ''} has no national code: add it to options.statusMap (or subStatusMap)`,
    });
  }
  const date = (k: keyof OpencpsDossier) => opencpsDate(d[k] as string | number | undefined, where(String(k)), issues);
  const submittedAt = date('submitDate');
  const receivedAt = date('receiveDate');
  const dueAt = date('dueDate');
  const releasedAt = date('releaseDate');
  const finishDate = date('finishDate');
  const history = Array.isArray(rec['logs'])
    ? mapHistory(rec['logs'] as unknown[], status ?? 4, options, issues)
    : mapSequences(Array.isArray(rec['sequences']) ? (rec['sequences'] as unknown[]) : [], status ?? 4, options, issues);
  if (issues.length || !code || status === undefined) return { ok: false, issues };

  const viaPostal = d.viaPostal ?? 0;
  const dossier: Dossier = {
    code,
    receiptNumber: nz(d.dossierCounter),
    procedure: { code: options.tables?.procedure?.[d.serviceCode] ?? options.procedureCodes?.[d.serviceCode] ?? d.serviceCode, name: nz(d.serviceName) ?? d.serviceCode, fieldCode: nz(d.domainCode), fieldName: nz(d.domainName) },
    unit: { code: options.tables?.unit?.[d.govAgencyCode] ?? options.unitCodes?.[d.govAgencyCode] ?? unitCodeFromDossierCode(code), name: nz(d.govAgencyName) ?? d.govAgencyCode },
    applicant: {
      name: nz(d.applicantName),
      type: d.applicantIdType === 'business' ? 'business' : 'citizen',
      idNumber: nz(d.applicantIdNo),
      accountId: null,
      email: nz(d.contactEmail),
      fax: null,
      phone: nz(d.contactTelNo),
      identifiers: [],
    },
    summary: nz(d.briefNote) ?? nz(d.dossierName) ?? nz(d.serviceName) ?? d.serviceCode,
    otherInfo: null,
    note: nz(d.dossierNote),
    channel: d.online ? 'online' : (d.fromViaPostal ?? 0) > 0 ? 'postal' : 'counter',
    submissionPlace: null,
    resultDelivery: viaPostal >= 2 ? 'postal' : 'in_person',
    returnInfo: null,
    dates: {
      submittedAt,
      receivedAt,
      dueAt,
      finishedAt: releasedAt ?? (status >= 7 ? finishDate : null),
      returnedAt: status === 10 ? finishDate : null,
      refusedAt: status === 3 ? finishDate : null,
    },
    status: statusOf(status),
    flags: { hasDigitisedComponents: null, vneidVerified: null, paidOnline: null },
    databasesConsulted: [],
    documents: history.documents,
    fees: [],
    otherAttachments: [],
    supplementRequests: [],
    results: [],
    progress: history.progress,
    warnings,
  };
  const notPushed = notPushedOf(merged, options);
  if (notPushed) dossier.notPushed = notPushed;
  const check = DossierSchema.safeParse(dossier);
  return check.success ? { ok: true, value: check.data } : { ok: false, issues: zodIssues(check.error) };
}
