/**
 * Canonical dossier → the portal's wire records, exactly as the contract shows them: every scalar a
 * string, dates `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, absent values as `""`, lists as `[]`,
 * booleans "0"/"1" except `IsDeleted` ("True"/"False"). Field order follows contract §4 and §13.
 */
import type { Dossier, DossierDocument, DossierFee, DossierProgress } from '../../schemas/dossier.ts';
import type { PortalDocument, PortalDossier, PortalFee, PortalProgress } from '../../schemas/portal.ts';
import { instantToPortalDate } from './time.ts';

const CHANNEL_CODES = { counter: '1', online: '2', postal: '3' } as const;
const APPLICANT_CODES = { citizen: '1', business: '2', state_agency: '3', organisation: '4' } as const;

const t = (v: string | null): string => v ?? '';
const b = (v: boolean | null): string => (v === null ? '' : v ? '1' : '0');


function documentToPortal(d: DossierDocument): PortalDocument {
  return {
    TepDinhKemId: t(d.fileId),
    TenTepDinhKem: t(d.name),
    IsDeleted: d.deleted === null ? '' : d.deleted ? 'True' : 'False',
    MaThanhPhanHoSo: t(d.componentCode),
    DuongDanTaiTepTin: t(d.url),
    DuocSoHoa: b(d.digitised),
    DuocTaiSuDung: t(d.reuse),
    DuocLayTuKhoDMQG: b(d.fromPersonalStore),
    MaKetQuaThayThe: t(d.replacementResultCode),
  };
}

function feeToPortal(f: DossierFee): PortalFee {
  return { TenPhiLePhi: t(f.name), MaPhiLePhi: t(f.code), HinhThucThu: t(f.collection), Gia: t(f.amount), LoaiPhiLePhi: t(f.type) };
}

/** The `DongBoHoSoMC` `data[]` item of a dossier. */
export function dossierToPortal(d: Dossier): PortalDossier & Record<string, unknown> {
  return {
    MaHoSo: d.code,
    MaTTHC: d.procedure.code,
    TenTTHC: d.procedure.name,
    MaLinhVuc: t(d.procedure.fieldCode),
    TenLinhVuc: t(d.procedure.fieldName),
    SoBienNhan: t(d.receiptNumber),
    KenhThucHien: d.channel ? CHANNEL_CODES[d.channel] : '',
    SoGiayToChuHoSo: t(d.applicant.idNumber),
    ChuHoSo: t(d.applicant.name),
    LoaiDoiTuong: APPLICANT_CODES[d.applicant.type],
    MaDoiTuong: t(d.applicant.accountId),
    ThongTinKhac: t(d.otherInfo),
    Email: t(d.applicant.email),
    Fax: t(d.applicant.fax),
    SoDienThoai: t(d.applicant.phone),
    TrichYeuHoSo: d.summary,
    NgayTiepNhan: instantToPortalDate(d.dates.receivedAt),
    NgayHenTra: instantToPortalDate(d.dates.dueAt),
    TrangThaiHoSo: String(d.status.code),
    NgayTra: instantToPortalDate(d.dates.returnedAt),
    ThongTinTra: t(d.returnInfo),
    HinhThuc: d.resultDelivery === 'postal' ? '1' : '0',
    NgayKetThucXuLy: instantToPortalDate(d.dates.finishedAt),
    DonViXuLy: d.unit.name,
    GhiChu: t(d.note),
    NoiNopHoSo: t(d.submissionPlace),
    HoSoCoThanhPhanSoHoa: b(d.flags.hasDigitisedComponents),
    TaiKhoanDuocXacThucVoiVNeID: b(d.flags.vneidVerified),
    DuocThanhToanTrucTuyen: t(d.flags.paidOnline),
    NgayTuChoi: instantToPortalDate(d.dates.refusedAt),
    NgayNopHoSo: instantToPortalDate(d.dates.submittedAt),
    DinhDanhCHS: d.applicant.identifiers.map((i) => ({ LoaiDinhDanh: t(i.type), SoDinhDanh: t(i.number) })),
    DSKetNoiCSDL: d.databasesConsulted.map((c) => ({ MaCSDL: t(c) })),
    TaiLieuNop: d.documents.map(documentToPortal),
    DanhSachLePhi: d.fees.map(feeToPortal),
    DanhSachTepDinhKemKhac: d.otherAttachments.map((a) => ({ TenGiayTo: t(a.name), SoLuong: t(a.quantity), LoaiGiayTo: t(a.type) })),
    DanhSachHoSoBoSung: d.supplementRequests.map((q) => ({
      HoSoBoSungId: t(q.id),
      NguoiYeuCauBoSung: t(q.requestedBy),
      NoiDungBoSung: t(q.content),
      NgayBoSung: instantToPortalDate(q.requestedAt),
      NguoiTiepNhanBoSung: t(q.receivedBy),
      ThongTinTiepNhan: t(q.receiptInfo),
      NgayTiepNhanBoSung: instantToPortalDate(q.receivedAt),
      TrangThaiBoSung: b(q.done),
      DanhSachGiayToBoSung: q.documents.map(documentToPortal),
      DanhSachLePhiBoSung: q.fees.map(feeToPortal),
      NgayHenTraTruoc: instantToPortalDate(q.previousDueAt),
      NgayHenTraMoi: instantToPortalDate(q.newDueAt),
    })),
    DanhSachGiayToKetQua: d.results.map((g) => ({
      TenGiayTo: t(g.name),
      MaThanhPhanHoSo: t(g.componentCode),
      GiayToId: t(g.fileId),
      DuongDanTepTinKetQua: t(g.url),
      MaGiayToKetQua: t(g.resultCode),
    })),
  };
}

/** One `CapNhatTienDoHoSoMC` `data[]` item. */
export function progressToPortal(code: string, p: DossierProgress): PortalProgress & Record<string, string> {
  return {
    MaHoSo: code,
    NguoiXuLy: p.handler,
    ChucDanh: t(p.title),
    ThoiDiemXuLy: instantToPortalDate(p.at),
    PhongBanXuLy: t(p.department),
    NoiDungXuLy: p.action,
    TrangThai: String(p.status),
    NgayBatDau: instantToPortalDate(p.startedAt),
    NgayKetThucTheoQuyDinh: instantToPortalDate(p.dueAt),
  };
}
