/**
 * The national portal's wire format (portal-contract.md §4–§6): the `DongBoHoSoMC` dossier record,
 * the `CapNhatTienDoHoSoMC` progress record, envelopes and answers. Every scalar is a JSON string,
 * dates are `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, statuses "1"…"10".
 *
 * These schemas are strict on purpose: the portal simulator and the canonical import format
 * (`dvcqg-file`) both validate with them, so a record that passes here is one the portal accepts.
 */
import { z } from 'zod';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The wall-clock time of a `yyyyMMddHHmmss` date as milliseconds since the epoch read as UTC
 * (subtract 7 h for the instant in Vietnam), or NaN when it is not a real calendar date and time.
 * Hand-parsed: it runs for every date of every record on import.
 */
export function portalDateWallClock(value: string): number {
  if (value.length !== 14) return Number.NaN;
  // Six fields (4,2,2,2,2,2 digits) read without a regular expression or an allocation.
  const f = [0, 0, 0, 0, 0, 0];
  for (let i = 0, k = 0; i < 14; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    f[k] = (f[k] as number) * 10 + c;
    if (i === 3 || (i > 3 && i % 2 === 1)) k++;
  }
  const [y, mo, d, h, mi, s] = f as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (DAYS_IN_MONTH[mo - 1] as number) + (leap ? 1 : 0)) return Number.NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export function isValidPortalDate(value: string): boolean {
  return !Number.isNaN(portalDateWallClock(value));
}

/** Observed length limits (contract §12.7). A longer value is an error, never silently cut. */
export const PORTAL_LIMITS = {
  TrichYeuHoSo: 1000,
  NguoiXuLy: 50,
  TenTepDinhKem: 4000,
  TenGiayTo: 2000,
  GhiChu: 2000,
  /** Not documented; generous bounds so that garbage is caught. */
  code: 100,
  text: 4000,
} as const;

const str = (max: number = PORTAL_LIMITS.text) =>
  z.string({ error: (i) => (i.input === undefined ? 'required' : `expected a string, got ${typeName(i.input)}`) }).max(max, {
    error: (i) => `longer than ${max} characters (${String((i.input as string).length)})`,
  });

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Optional scalar: absent, null or a string. */
const optStr = (max: number = PORTAL_LIMITS.text) => str(max).nullish();
/** Required, non-empty scalar. */
const reqStr = (max: number = PORTAL_LIMITS.text) => str(max).min(1, { error: 'required (empty)' });

const portalDate = (required: boolean) => {
  const base = z
    .string({ error: (i) => (i.input === undefined ? 'required' : `expected a yyyyMMddHHmmss string, got ${typeName(i.input)}`) })
    .refine((v) => v === '' || isValidPortalDate(v), { error: (i) => `not a yyyyMMddHHmmss date: "${String(i.input)}"` });
  return required ? base.refine((v) => v !== '', { error: 'required (empty)' }) : base.nullish();
};
export const portalDateSchema = portalDate(false);

const code = (values: readonly string[], required: boolean) => {
  const base = z
    .string({ error: (i) => (i.input === undefined ? 'required' : `expected a string, got ${typeName(i.input)}`) })
    .refine((v) => (!required && v === '') || values.includes(v), {
      error: (i) => `"${String(i.input)}" is not one of ${values.map((v) => `"${v}"`).join(', ')}`,
    });
  return required ? base : base.nullish();
};

export const STATUS_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
const flag01 = code(['0', '1'], false);

export const PortalDocumentSchema = z.object({
  TepDinhKemId: optStr(PORTAL_LIMITS.code),
  TenTepDinhKem: optStr(PORTAL_LIMITS.TenTepDinhKem),
  IsDeleted: code(['True', 'False'], false),
  MaThanhPhanHoSo: optStr(PORTAL_LIMITS.code),
  DuongDanTaiTepTin: optStr(),
  DuocSoHoa: flag01,
  DuocTaiSuDung: code(['0', '1', '2'], false),
  DuocLayTuKhoDMQG: flag01,
  MaKetQuaThayThe: optStr(PORTAL_LIMITS.code),
});

export const PortalFeeSchema = z.object({
  TenPhiLePhi: optStr(),
  MaPhiLePhi: optStr(PORTAL_LIMITS.code),
  HinhThucThu: optStr(PORTAL_LIMITS.code),
  Gia: str(30)
    .refine((v) => v === '' || /^\d+(\.\d+)?$/.test(v), { error: (i) => `not an amount: "${String(i.input)}"` })
    .nullish(),
  LoaiPhiLePhi: optStr(PORTAL_LIMITS.code),
});

export const PortalOtherAttachmentSchema = z.object({
  TenGiayTo: optStr(PORTAL_LIMITS.TenGiayTo),
  SoLuong: optStr(PORTAL_LIMITS.code),
  LoaiGiayTo: optStr(PORTAL_LIMITS.code),
});

export const PortalSupplementSchema = z.object({
  HoSoBoSungId: optStr(PORTAL_LIMITS.code),
  NguoiYeuCauBoSung: optStr(),
  NoiDungBoSung: optStr(),
  NgayBoSung: portalDate(false),
  NguoiTiepNhanBoSung: optStr(),
  ThongTinTiepNhan: optStr(),
  NgayTiepNhanBoSung: portalDate(false),
  TrangThaiBoSung: flag01,
  DanhSachGiayToBoSung: z.array(PortalDocumentSchema).nullish(),
  DanhSachLePhiBoSung: z.array(PortalFeeSchema).nullish(),
  NgayHenTraTruoc: portalDate(false),
  NgayHenTraMoi: portalDate(false),
});

export const PortalResultSchema = z.object({
  TenGiayTo: optStr(PORTAL_LIMITS.TenGiayTo),
  MaThanhPhanHoSo: optStr(PORTAL_LIMITS.code),
  GiayToId: optStr(PORTAL_LIMITS.code),
  DuongDanTepTinKetQua: optStr(),
  MaGiayToKetQua: optStr(PORTAL_LIMITS.code),
});

/** `CapNhatTienDoHoSoMC` `data[]` item (contract §5). */
export const PortalProgressSchema = z.object({
  MaHoSo: reqStr(PORTAL_LIMITS.code),
  NguoiXuLy: reqStr(PORTAL_LIMITS.NguoiXuLy),
  ChucDanh: optStr(),
  ThoiDiemXuLy: portalDate(true),
  PhongBanXuLy: optStr(),
  NoiDungXuLy: reqStr(),
  TrangThai: code(STATUS_CODES, true),
  NgayBatDau: portalDate(false),
  NgayKetThucTheoQuyDinh: portalDate(false),
});

/** `DongBoHoSoMC` `data[]` item (contract §4.1 and the 2022+ fields of §4.2). */
export const PortalDossierSchema = z.object({
  MaHoSo: reqStr(PORTAL_LIMITS.code),
  MaTTHC: reqStr(PORTAL_LIMITS.code),
  TenTTHC: reqStr(),
  MaLinhVuc: optStr(PORTAL_LIMITS.code),
  TenLinhVuc: optStr(),
  SoBienNhan: optStr(PORTAL_LIMITS.code),
  KenhThucHien: code(['1', '2', '3'], false),
  SoGiayToChuHoSo: optStr(PORTAL_LIMITS.code),
  ChuHoSo: optStr(),
  LoaiDoiTuong: code(['1', '2', '3', '4'], true),
  MaDoiTuong: optStr(PORTAL_LIMITS.code),
  ThongTinKhac: optStr(),
  Email: optStr(),
  Fax: optStr(PORTAL_LIMITS.code),
  SoDienThoai: optStr(PORTAL_LIMITS.code),
  TrichYeuHoSo: reqStr(PORTAL_LIMITS.TrichYeuHoSo),
  NgayTiepNhan: portalDate(true),
  NgayHenTra: portalDate(false),
  TrangThaiHoSo: code(STATUS_CODES, true),
  NgayTra: portalDate(false),
  ThongTinTra: optStr(),
  HinhThuc: code(['0', '1'], true),
  NgayKetThucXuLy: portalDate(false),
  DonViXuLy: reqStr(),
  GhiChu: optStr(PORTAL_LIMITS.GhiChu),
  NoiNopHoSo: optStr(PORTAL_LIMITS.code),
  HoSoCoThanhPhanSoHoa: flag01,
  TaiKhoanDuocXacThucVoiVNeID: flag01,
  DuocThanhToanTrucTuyen: code(['0', '1', '2', '3'], false),
  NgayTuChoi: portalDate(false),
  NgayNopHoSo: portalDate(false),
  DinhDanhCHS: z.array(z.object({ LoaiDinhDanh: optStr(PORTAL_LIMITS.code), SoDinhDanh: optStr(PORTAL_LIMITS.code) })).nullish(),
  DSKetNoiCSDL: z.array(z.object({ MaCSDL: optStr(PORTAL_LIMITS.code) })).nullish(),
  TaiLieuNop: z.array(PortalDocumentSchema).nullish(),
  DanhSachLePhi: z.array(PortalFeeSchema).nullish(),
  DanhSachTepDinhKemKhac: z.array(PortalOtherAttachmentSchema).nullish(),
  DanhSachHoSoBoSung: z.array(PortalSupplementSchema).nullish(),
  DanhSachGiayToKetQua: z.array(PortalResultSchema).nullish(),
});

/** The canonical import format: a dossier record optionally carrying its progress items. */
export const PortalDossierWithProgressSchema = PortalDossierSchema.extend({
  QuaTrinhXuLy: z.array(PortalProgressSchema).nullish(),
});

export type PortalDossier = z.infer<typeof PortalDossierSchema>;
export type PortalProgress = z.infer<typeof PortalProgressSchema>;
export type PortalDossierWithProgress = z.infer<typeof PortalDossierWithProgressSchema>;
export type PortalDocument = z.infer<typeof PortalDocumentSchema>;
export type PortalFee = z.infer<typeof PortalFeeSchema>;
export type PortalSupplement = z.infer<typeof PortalSupplementSchema>;
export type PortalResult = z.infer<typeof PortalResultSchema>;

/** Services the gateway calls (contract §3). */
export const PORTAL_SERVICES = ['DongBoHoSoMC', 'CapNhatTienDoHoSoMC', 'TraCuuHoSo'] as const;
export type PortalService = (typeof PORTAL_SERVICES)[number];

/** Session-style login answer `{error_code, message, session}`. */
export const PortalLoginAnswerSchema = z.looseObject({
  error_code: z.union([z.number(), z.string()]),
  message: z.string().nullish(),
  session: z.string().nullish(),
});

/** Answer of every integration call: `{error_code, message}` (+ `result` for look-ups). */
export const PortalAnswerSchema = z.looseObject({
  error_code: z.union([z.number(), z.string()]),
  message: z.string().nullish(),
  result: z.unknown().optional(),
});
export type PortalAnswer = z.infer<typeof PortalAnswerSchema>;

/** `error_code` 0, "0" and "00" all mean success (contract §2.4). */
export function isPortalSuccess(errorCode: number | string): boolean {
  return String(errorCode).trim().replace(/^0+$/, '0') === '0';
}
