/**
 * The canonical dossier: what every adapter produces and the ledger stores. English names,
 * instants as ISO-8601 UTC strings, codes as named enums. It maps losslessly to and from the
 * portal's `DongBoHoSoMC` + `CapNhatTienDoHoSoMC` records (see docs/glossary.md).
 */
import { z } from 'zod';

/** Unit identifier (mã định danh điện tử), contract §7.1: `000.00.00.H48`. */
export const UNIT_CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

/** The ten national statuses (TrangThaiHoSo), rules.md §7.2, by code. */
export const STATUS_NAMES = {
  1: 'submitted', // Mới đăng ký
  2: 'received', // Được tiếp nhận
  3: 'refused', // Không được tiếp nhận
  4: 'processing', // Đang xử lý
  5: 'supplement_requested', // Yêu cầu bổ sung giấy tờ
  6: 'awaiting_payment', // Yêu cầu thực hiện nghĩa vụ tài chính
  7: 'withdrawn', // Công dân yêu cầu rút hồ sơ
  8: 'stopped', // Dừng xử lý
  9: 'resolved', // Đã xử lý xong
  10: 'returned', // Đã trả kết quả
} as const;
export type StatusCode = keyof typeof STATUS_NAMES;
export type StatusName = (typeof STATUS_NAMES)[StatusCode];

/** Vietnamese labels of the statuses, as the portal names them. */
export const STATUS_LABELS_VI: Record<StatusCode, string> = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
};

export const StatusCodeSchema = z.number().int().min(1).max(10) as unknown as z.ZodType<StatusCode>;
export const StatusSchema = z.object({
  code: StatusCodeSchema,
  name: z.enum(Object.values(STATUS_NAMES) as [StatusName, ...StatusName[]]),
});

/** An instant, ISO-8601 in UTC (`2024-07-15T01:30:12.000Z`). */
export const InstantSchema = z.iso.datetime();
const instant = InstantSchema.nullable();
const text = z.string().nullable();

/** KenhThucHien: 1 counter, 2 online, 3 public postal service. */
export const CHANNELS = { 1: 'counter', 2: 'online', 3: 'postal' } as const;
export const ChannelSchema = z.enum(['counter', 'online', 'postal']);
/** LoaiDoiTuong: 1 citizen, 2 business, 3 state agency, 4 other organisation. */
export const APPLICANT_TYPES = { 1: 'citizen', 2: 'business', 3: 'state_agency', 4: 'organisation' } as const;
export const ApplicantTypeSchema = z.enum(['citizen', 'business', 'state_agency', 'organisation']);
/** HinhThuc: 0 in person, 1 by public post. */
export const ResultDeliverySchema = z.enum(['in_person', 'postal']);

export const DocumentSchema = z.object({
  fileId: text, // TepDinhKemId
  name: text, // TenTepDinhKem
  deleted: z.boolean().nullable(), // IsDeleted
  componentCode: text, // MaThanhPhanHoSo
  url: text, // DuongDanTaiTepTin
  digitised: z.boolean().nullable(), // DuocSoHoa
  reuse: z.enum(['0', '1', '2']).nullable(), // DuocTaiSuDung: 0 no, 1 reused, 2 via a replacement result
  fromPersonalStore: z.boolean().nullable(), // DuocLayTuKhoDMQG
  replacementResultCode: text, // MaKetQuaThayThe
});

export const FeeSchema = z.object({
  name: text, // TenPhiLePhi
  code: text, // MaPhiLePhi
  collection: text, // HinhThucThu (1 at reception, 2 at supplement, 4 at result)
  amount: z.string().regex(/^\d+(\.\d+)?$/).nullable(), // Gia, VND as a decimal string
  type: text, // LoaiPhiLePhi
});

export const OtherAttachmentSchema = z.object({
  name: text, // TenGiayTo
  quantity: text, // SoLuong
  type: text, // LoaiGiayTo
});

export const SupplementRequestSchema = z.object({
  id: text, // HoSoBoSungId
  requestedBy: text, // NguoiYeuCauBoSung
  content: text, // NoiDungBoSung
  requestedAt: instant, // NgayBoSung
  receivedBy: text, // NguoiTiepNhanBoSung
  receiptInfo: text, // ThongTinTiepNhan
  receivedAt: instant, // NgayTiepNhanBoSung
  done: z.boolean().nullable(), // TrangThaiBoSung
  documents: z.array(DocumentSchema), // DanhSachGiayToBoSung
  fees: z.array(FeeSchema), // DanhSachLePhiBoSung
  previousDueAt: instant, // NgayHenTraTruoc
  newDueAt: instant, // NgayHenTraMoi
});

export const ResultDocumentSchema = z.object({
  name: text, // TenGiayTo
  componentCode: text, // MaThanhPhanHoSo
  fileId: text, // GiayToId
  url: text, // DuongDanTepTinKetQua
  resultCode: text, // MaGiayToKetQua
});

export const ProgressSchema = z.object({
  handler: z.string(), // NguoiXuLy
  title: text, // ChucDanh
  at: InstantSchema, // ThoiDiemXuLy
  department: text, // PhongBanXuLy
  action: z.string(), // NoiDungXuLy
  status: StatusCodeSchema, // TrangThai
  startedAt: instant, // NgayBatDau
  dueAt: instant, // NgayKetThucTheoQuyDinh
});

export const DossierSchema = z.object({
  code: z.string().min(1), // MaHoSo
  receiptNumber: text, // SoBienNhan
  procedure: z.object({
    code: z.string().min(1), // MaTTHC (national code)
    name: z.string(), // TenTTHC
    fieldCode: text, // MaLinhVuc
    fieldName: text, // TenLinhVuc
  }),
  unit: z.object({
    /** Official unit code for routing and reports: from the adapter's mapping, else the MaHoSo prefix. */
    code: z.string().regex(UNIT_CODE_RE).nullable(),
    name: z.string(), // DonViXuLy (a name, not a code, in every client)
  }),
  applicant: z.object({
    name: text, // ChuHoSo
    type: ApplicantTypeSchema, // LoaiDoiTuong
    idNumber: text, // SoGiayToChuHoSo (citizen ID: masked in logs and for viewers)
    accountId: text, // MaDoiTuong
    email: text, // Email
    fax: text, // Fax
    phone: text, // SoDienThoai
    identifiers: z.array(z.object({ type: text, number: text })), // DinhDanhCHS
  }),
  summary: z.string(), // TrichYeuHoSo
  otherInfo: text, // ThongTinKhac
  note: text, // GhiChu
  channel: ChannelSchema.nullable(), // KenhThucHien (null: not sent; 766 counts it as counter)
  submissionPlace: text, // NoiNopHoSo
  resultDelivery: ResultDeliverySchema, // HinhThuc
  returnInfo: text, // ThongTinTra
  dates: z.object({
    submittedAt: instant, // NgayNopHoSo
    receivedAt: instant, // NgayTiepNhan
    dueAt: instant, // NgayHenTra
    finishedAt: instant, // NgayKetThucXuLy
    returnedAt: instant, // NgayTra
    refusedAt: instant, // NgayTuChoi
  }),
  status: StatusSchema, // TrangThaiHoSo
  flags: z.object({
    hasDigitisedComponents: z.boolean().nullable(), // HoSoCoThanhPhanSoHoa
    vneidVerified: z.boolean().nullable(), // TaiKhoanDuocXacThucVoiVNeID
    paidOnline: z.enum(['0', '1', '2', '3']).nullable(), // DuocThanhToanTrucTuyen: 1 on DVCQG, 2 local gateway
  }),
  databasesConsulted: z.array(text), // DSKetNoiCSDL[].MaCSDL
  documents: z.array(DocumentSchema), // TaiLieuNop
  fees: z.array(FeeSchema), // DanhSachLePhi
  otherAttachments: z.array(OtherAttachmentSchema), // DanhSachTepDinhKemKhac
  supplementRequests: z.array(SupplementRequestSchema), // DanhSachHoSoBoSung
  results: z.array(ResultDocumentSchema), // DanhSachGiayToKetQua
  progress: z.array(ProgressSchema), // CapNhatTienDoHoSoMC items
  /** Notes the pipeline recorded while mapping (e.g. repaired legacy encoding). */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  /**
   * Set by the adapter for a dossier that is read and kept but must not be pushed: an
   * interconnection copy (the origin is counted already) or one submitted on DVCQG itself.
   */
  notPushed: z.object({ kind: z.enum(['interconnection_copy', 'dvcqg_origin']), reason: z.string() }).optional(),
});

export type Dossier = z.infer<typeof DossierSchema>;
export type DossierDocument = z.infer<typeof DocumentSchema>;
export type DossierFee = z.infer<typeof FeeSchema>;
export type DossierProgress = z.infer<typeof ProgressSchema>;
export type SupplementRequest = z.infer<typeof SupplementRequestSchema>;
export type ResultDocument = z.infer<typeof ResultDocumentSchema>;

export function statusOf(code: StatusCode): z.infer<typeof StatusSchema> {
  return { code, name: STATUS_NAMES[code] };
}

/** Unit code from a MaHoSo whose first segment has the unit-code format (contract §7.4). */
export function unitCodeFromDossierCode(code: string): string | null {
  const prefix = code.split('-')[0] ?? '';
  return UNIT_CODE_RE.test(prefix) ? prefix : null;
}
