/**
 * Portal wire record (DongBoHoSoMC item + optional QuaTrinhXuLy progress) → canonical dossier.
 * Validation lists every issue with its JSON path; text is NFC-normalised.
 */
import { DEFAULT_TEXT_LIMITS, cutText } from './wire-policy.ts';
import type { z } from 'zod';
import {
  PortalDossierWithProgressSchema,
  type PortalDocument,
  type PortalDossierWithProgress,
  type PortalFee,
  type PortalProgress,
} from '../../schemas/portal.ts';
import {
  APPLICANT_TYPES,
  CHANNELS,
  DossierSchema,
  statusOf,
  unitCodeFromDossierCode,
  type Dossier,
  type DossierDocument,
  type DossierFee,
  type DossierProgress,
  type StatusCode,
} from '../../schemas/dossier.ts';
import type { ValidationIssue } from '../errors.ts';
import { portalDateToInstant } from './time.ts';
import { setOwn, shapeIssues } from '../sdk/own.ts';

export type MapResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Formats a zod path as `TaiLieuNop[0].DuocSoHoa`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((i) => {
    const p = formatPath(i.path);
    return { path: prefix && p ? `${prefix}.${p}` : prefix || p, message: i.message, code: i.code };
  });
}

const NON_ASCII = /[^ -~\t\n\r]/;

/**
 * Deep NFC normalisation of every string in a JSON value. Copy on write: a value whose text is
 * already NFC (the common case) comes back as the same object, without a copy.
 */
export function normalizeText<T>(value: T): T {
  if (typeof value === 'string') return (NON_ASCII.test(value) ? value.normalize('NFC') : value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const n = normalizeText(v);
      if (n !== v) (out ??= value.slice())[i] = n;
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | null = null;
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      const n = normalizeText(v);
      if (n !== v) setOwn((out ??= { ...(value as Record<string, unknown>) }), k, n);
    }
    return (out ?? value) as T;
  }
  return value;
}

const s = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);
const b01 = (v: string | null | undefined): boolean | null => (v === '1' ? true : v === '0' ? false : null);
const codeOrNull = <T extends string>(v: string | null | undefined): T | null => (s(v) as T | null);

function mapDocument(d: PortalDocument): DossierDocument {
  return {
    fileId: s(d.TepDinhKemId),
    name: s(d.TenTepDinhKem),
    deleted: d.IsDeleted === 'True' ? true : d.IsDeleted === 'False' ? false : null,
    componentCode: s(d.MaThanhPhanHoSo),
    url: s(d.DuongDanTaiTepTin),
    digitised: b01(d.DuocSoHoa),
    reuse: codeOrNull(d.DuocTaiSuDung),
    fromPersonalStore: b01(d.DuocLayTuKhoDMQG),
    replacementResultCode: s(d.MaKetQuaThayThe),
  };
}

function mapFee(f: PortalFee): DossierFee {
  return { name: s(f.TenPhiLePhi), code: s(f.MaPhiLePhi), collection: s(f.HinhThucThu), amount: s(f.Gia), type: s(f.LoaiPhiLePhi) };
}

export function mapProgress(p: PortalProgress): DossierProgress {
  return {
    handler: p.NguoiXuLy,
    title: s(p.ChucDanh),
    at: portalDateToInstant(p.ThoiDiemXuLy) as string,
    department: s(p.PhongBanXuLy),
    action: p.NoiDungXuLy,
    status: Number(p.TrangThai) as StatusCode,
    startedAt: portalDateToInstant(p.NgayBatDau),
    dueAt: portalDateToInstant(p.NgayKetThucTheoQuyDinh),
  };
}

/** Maps an already validated wire record. */
export function portalToDossier(r: PortalDossierWithProgress, unitCode?: string | null): Dossier {
  const progress = (r.QuaTrinhXuLy ?? []).map((p, i) => {
    if (p.MaHoSo !== r.MaHoSo) throw new Error(`QuaTrinhXuLy[${i}].MaHoSo`);
    return mapProgress(p);
  });
  return {
    code: r.MaHoSo,
    receiptNumber: s(r.SoBienNhan),
    procedure: { code: r.MaTTHC, name: r.TenTTHC, fieldCode: s(r.MaLinhVuc), fieldName: s(r.TenLinhVuc) },
    unit: { code: unitCode ?? unitCodeFromDossierCode(r.MaHoSo), name: r.DonViXuLy },
    applicant: {
      name: s(r.ChuHoSo),
      type: APPLICANT_TYPES[Number(r.LoaiDoiTuong) as 1 | 2 | 3 | 4],
      idNumber: s(r.SoGiayToChuHoSo),
      accountId: s(r.MaDoiTuong),
      email: s(r.Email),
      fax: s(r.Fax),
      phone: s(r.SoDienThoai),
      identifiers: (r.DinhDanhCHS ?? []).map((d) => ({ type: s(d.LoaiDinhDanh), number: s(d.SoDinhDanh) })),
    },
    summary: r.TrichYeuHoSo,
    otherInfo: s(r.ThongTinKhac),
    note: s(r.GhiChu),
    channel: r.KenhThucHien ? CHANNELS[Number(r.KenhThucHien) as 1 | 2 | 3] : null,
    submissionPlace: s(r.NoiNopHoSo),
    resultDelivery: r.HinhThuc === '1' ? 'postal' : 'in_person',
    returnInfo: s(r.ThongTinTra),
    dates: {
      submittedAt: portalDateToInstant(r.NgayNopHoSo),
      receivedAt: portalDateToInstant(r.NgayTiepNhan),
      dueAt: portalDateToInstant(r.NgayHenTra),
      finishedAt: portalDateToInstant(r.NgayKetThucXuLy),
      returnedAt: portalDateToInstant(r.NgayTra),
      refusedAt: portalDateToInstant(r.NgayTuChoi),
    },
    status: statusOf(Number(r.TrangThaiHoSo) as StatusCode),
    flags: {
      hasDigitisedComponents: b01(r.HoSoCoThanhPhanSoHoa),
      vneidVerified: b01(r.TaiKhoanDuocXacThucVoiVNeID),
      paidOnline: codeOrNull(r.DuocThanhToanTrucTuyen),
    },
    databasesConsulted: (r.DSKetNoiCSDL ?? []).map((d) => s(d.MaCSDL)),
    documents: (r.TaiLieuNop ?? []).map(mapDocument),
    fees: (r.DanhSachLePhi ?? []).map(mapFee),
    otherAttachments: (r.DanhSachTepDinhKemKhac ?? []).map((a) => ({ name: s(a.TenGiayTo), quantity: s(a.SoLuong), type: s(a.LoaiGiayTo) })),
    supplementRequests: (r.DanhSachHoSoBoSung ?? []).map((q) => ({
      id: s(q.HoSoBoSungId),
      requestedBy: s(q.NguoiYeuCauBoSung),
      content: s(q.NoiDungBoSung),
      requestedAt: portalDateToInstant(q.NgayBoSung),
      receivedBy: s(q.NguoiTiepNhanBoSung),
      receiptInfo: s(q.ThongTinTiepNhan),
      receivedAt: portalDateToInstant(q.NgayTiepNhanBoSung),
      done: b01(q.TrangThaiBoSung),
      documents: (q.DanhSachGiayToBoSung ?? []).map(mapDocument),
      fees: (q.DanhSachLePhiBoSung ?? []).map(mapFee),
      previousDueAt: portalDateToInstant(q.NgayHenTraTruoc),
      newDueAt: portalDateToInstant(q.NgayHenTraMoi),
    })),
    results: (r.DanhSachGiayToKetQua ?? []).map((g) => ({
      name: s(g.TenGiayTo),
      componentCode: s(g.MaThanhPhanHoSo),
      fileId: s(g.GiayToId),
      url: s(g.DuongDanTepTinKetQua),
      resultCode: s(g.MaGiayToKetQua),
    })),
    progress,
    warnings: [],
  };
}

/**
 * Validates an unknown value as a portal record (with optional progress) and maps it.
 * Every problem is returned with its JSON path; nothing is thrown for bad input.
 */
export function parsePortalRecord(input: unknown, unitCode?: string | null): MapResult<Dossier> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: `expected a JSON object, got ${Array.isArray(input) ? 'array' : input === null ? 'null' : typeof input}` }] };
  }
  // A record nested too deep, or with a prototype taken from a "__proto__" key, never reaches the schema.
  const shape = shapeIssues(input);
  if (shape.length) return { ok: false, issues: shape };
  const parsed = parseAllowingLongTexts(normalizeText(input));
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const r = parsed.data;
  const issues: ValidationIssue[] = [];
  (r.QuaTrinhXuLy ?? []).forEach((p, i) => {
    if (p.MaHoSo !== r.MaHoSo) issues.push({ path: `QuaTrinhXuLy[${i}].MaHoSo`, message: `"${p.MaHoSo}" differs from the dossier's MaHoSo "${r.MaHoSo}"` });
  });
  if (issues.length) return { ok: false, issues };
  const dossier = portalToDossier(r, unitCode);
  const check = DossierSchema.safeParse(dossier);
  if (!check.success) return { ok: false, issues: zodIssues(check.error) };
  return { ok: true, value: dossier };
}

/**
 * The portal schema, except that a text longer than the portal accepts (GhiChu, TrichYeuHoSo,
 * NguoiXuLy, TenTepDinhKem, TenGiayTo) is not a reason to refuse the record: the ledger keeps the
 * full text and the outbox cuts it on the wire (src/dossier/wire-policy.ts). Every other problem
 * is still refused.
 */
function parseAllowingLongTexts(value: unknown): ReturnType<typeof PortalDossierWithProgressSchema.safeParse> {
  const first = PortalDossierWithProgressSchema.safeParse(value);
  if (first.success) return first;
  const long = first.error.issues.filter((i) => i.code === 'too_big' && typeof i.path.at(-1) === 'string' && (i.path.at(-1) as string) in DEFAULT_TEXT_LIMITS);
  if (long.length === 0 || long.length !== first.error.issues.length) return first;
  const copy = structuredClone(value) as Record<string, unknown>;
  const at = (root: unknown, path: PropertyKey[]) => path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)[k], root) as Record<PropertyKey, unknown>;
  const full = long.map((i) => ({ path: i.path, text: at(copy, i.path)[i.path.at(-1) as string] as string }));
  for (const f of full) at(copy, f.path)[f.path.at(-1) as string] = cutText(f.text, DEFAULT_TEXT_LIMITS[f.path.at(-1) as string] as number);
  const second = PortalDossierWithProgressSchema.safeParse(copy);
  if (!second.success) return first;
  for (const f of full) at(second.data, f.path)[f.path.at(-1) as string] = f.text;
  return second;
}
