/**
 * Deterministic generator of realistic portal-format dossiers (contract §4, §5), for the demo,
 * the benchmarks and tests. Same seed → same dossiers.
 */
import type { PortalDossierWithProgress, PortalProgress } from '../../schemas/portal.ts';
import { instantToPortalDate } from '../dossier/time.ts';
import { createRng } from '../portal-sim/rng.ts';

/** The simulator's seeded PRNG (mulberry32): same seed → same dossiers. */
export const rng = createRng;

export const DEMO_UNITS = [
  { code: '000.20.48.H48', name: 'Sở Tư pháp tỉnh Quảng Trị' },
  { code: '000.05.21.H48', name: 'UBND xã Đông Hòa' },
  { code: '000.31.48.H48', name: 'Sở Giáo dục và Đào tạo' },
  { code: '000.12.48.H48', name: 'Sở Xây dựng' },
] as const;

const PROCEDURES = [
  { code: '2.000488', name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam', field: 'G15-TP09', fieldName: 'Lý lịch tư pháp', days: 10 },
  { code: '2.002492', name: 'Tuyển sinh tiểu học', field: 'G03-GD09', fieldName: 'Giáo dục Tiểu học', days: 5 },
  { code: '1.009994', name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', field: 'G10-XD01', fieldName: 'Hoạt động xây dựng', days: 15 },
  { code: '1.001193', name: 'Đăng ký khai sinh', field: 'G15-TP01', fieldName: 'Hộ tịch', days: 1 },
] as const;

const NAMES = ['Nguyễn Văn An', 'Trần Thị Bích', 'Lê Hoàng Cường', 'Phạm Thị Dung', 'Hoàng Văn Đức', 'Đỗ Thị Mai', 'Võ Minh Khôi', 'Bùi Thị Lan', 'Đặng Quốc Huy', 'Ngô Thị Ánh'];
const OFFICIALS = ['Nguyễn Thị Lan', 'Phạm Minh Đức', 'Hoàng Văn Tâm', 'Lê Thị Hương'];

export interface GenerateOptions {
  count: number;
  seed?: number;
  /** First receipt instant; dossiers spread over `spanDays` after it. */
  start?: string;
  spanDays?: number;
  /** Include the `QuaTrinhXuLy` progress history. */
  withProgress?: boolean;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** Generates `count` wire records; codes follow `<unit>-<yyMMdd>-<nnnn>` (contract §7.4). */
export function* generateDossiers(opts: GenerateOptions): Generator<PortalDossierWithProgress> {
  const r = rng(opts.seed ?? 1);
  const start = Date.parse(opts.start ?? '2026-10-01T01:00:00.000Z');
  const span = (opts.spanDays ?? 30) * 86_400_000;
  const counters = new Map<string, number>();
  for (let i = 0; i < opts.count; i++) {
    const unit = pick(r, DEMO_UNITS);
    const proc = pick(r, PROCEDURES);
    const received = start + Math.floor((i / Math.max(1, opts.count)) * span) + Math.floor(r() * 3_600_000);
    const recvLocal = instantToPortalDate(new Date(received).toISOString());
    const dayKey = `${unit.code}-${recvLocal.slice(2, 8)}`;
    const n = (counters.get(dayKey) ?? 0) + 1;
    counters.set(dayKey, n);
    const code = `${dayKey}-${String(n).padStart(4, '0')}`;
    const due = received + proc.days * 86_400_000 * 1.4;
    const roll = r();
    const status = roll < 0.35 ? '4' : roll < 0.45 ? '5' : roll < 0.8 ? '10' : roll < 0.95 ? '9' : '2';
    const finished = ['9', '10'].includes(status) ? received + Math.floor((due - received) * (0.3 + r() * 0.9)) : null;
    const online = r() < 0.6;
    const name = pick(r, NAMES);
    const cccd = `0${String(38000000000 + Math.floor(r() * 999999999)).padStart(11, '0')}`;
    const at = (t: number | null) => (t === null ? '' : instantToPortalDate(new Date(t).toISOString()));
    const progress: PortalProgress[] = [
      { MaHoSo: code, NguoiXuLy: pick(r, OFFICIALS), ChucDanh: 'Công chức Bộ phận Một cửa', ThoiDiemXuLy: at(received), PhongBanXuLy: 'Bộ phận Một cửa', NoiDungXuLy: 'Tiếp nhận hồ sơ', TrangThai: '2', NgayBatDau: at(received), NgayKetThucTheoQuyDinh: at(due) },
    ];
    if (status !== '2') progress.push({ MaHoSo: code, NguoiXuLy: pick(r, OFFICIALS), ChucDanh: 'Chuyên viên', ThoiDiemXuLy: at(received + 3_600_000), PhongBanXuLy: 'Phòng chuyên môn', NoiDungXuLy: 'Chuyển xử lý-Thẩm định hồ sơ', TrangThai: '4', NgayBatDau: at(received + 3_600_000), NgayKetThucTheoQuyDinh: at(due) });
    if (status === '5') progress.push({ MaHoSo: code, NguoiXuLy: pick(r, OFFICIALS), ChucDanh: 'Chuyên viên', ThoiDiemXuLy: at(received + 7_200_000), PhongBanXuLy: 'Phòng chuyên môn', NoiDungXuLy: 'Yêu cầu bổ sung hồ sơ-Thiếu bản sao giấy tờ', TrangThai: '5', NgayBatDau: at(received + 7_200_000), NgayKetThucTheoQuyDinh: '' });
    if (finished !== null) progress.push({ MaHoSo: code, NguoiXuLy: pick(r, OFFICIALS), ChucDanh: 'Phó Giám đốc', ThoiDiemXuLy: at(finished), PhongBanXuLy: 'Ban Giám đốc', NoiDungXuLy: 'Ký duyệt-Chuyển kết quả về Bộ phận Một cửa', TrangThai: '9', NgayBatDau: at(finished - 3_600_000), NgayKetThucTheoQuyDinh: at(due) });
    if (status === '10' && finished !== null) progress.push({ MaHoSo: code, NguoiXuLy: pick(r, OFFICIALS), ChucDanh: 'Công chức Bộ phận Một cửa', ThoiDiemXuLy: at(finished + 7_200_000), PhongBanXuLy: 'Bộ phận Một cửa', NoiDungXuLy: 'Trả kết quả', TrangThai: '10', NgayBatDau: at(finished), NgayKetThucTheoQuyDinh: at(due) });
    yield {
      MaHoSo: code,
      MaTTHC: proc.code,
      TenTTHC: proc.name,
      MaLinhVuc: proc.field,
      TenLinhVuc: proc.fieldName,
      KenhThucHien: online ? '2' : '1',
      SoGiayToChuHoSo: cccd,
      ChuHoSo: name,
      LoaiDoiTuong: '1',
      MaDoiTuong: '',
      ThongTinKhac: '',
      Email: '',
      Fax: '',
      SoDienThoai: `09${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
      TrichYeuHoSo: `${proc.name} — ${name}`,
      NgayTiepNhan: at(received),
      NgayHenTra: at(due),
      TrangThaiHoSo: status,
      NgayTra: status === '10' && finished !== null ? at(finished + 7_200_000) : '',
      ThongTinTra: '',
      HinhThuc: r() < 0.2 ? '1' : '0',
      NgayKetThucXuLy: at(finished),
      DonViXuLy: unit.name,
      GhiChu: '',
      NoiNopHoSo: online ? '1' : '2',
      HoSoCoThanhPhanSoHoa: r() < 0.7 ? '1' : '0',
      TaiKhoanDuocXacThucVoiVNeID: online && r() < 0.5 ? '1' : '0',
      DuocThanhToanTrucTuyen: online && r() < 0.4 ? '1' : '0',
      NgayTuChoi: '',
      NgayNopHoSo: at(received),
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: cccd }],
      DSKetNoiCSDL: [{ MaCSDL: '7' }],
      TaiLieuNop: [
        { TepDinhKemId: String(40000 + i), TenTepDinhKem: 'Đơn đề nghị.pdf', IsDeleted: 'False', MaThanhPhanHoSo: '', DuongDanTaiTepTin: `https://motcua.example.gov.vn/files/${code}/don.pdf`, DuocSoHoa: '1', DuocTaiSuDung: '0', DuocLayTuKhoDMQG: '0', MaKetQuaThayThe: '' },
      ],
      DanhSachLePhi: [],
      DanhSachTepDinhKemKhac: [],
      DanhSachHoSoBoSung: [],
      DanhSachGiayToKetQua: finished !== null ? [{ TenGiayTo: `Kết quả ${code}.pdf`, MaThanhPhanHoSo: '', GiayToId: '', DuongDanTepTinKetQua: `https://motcua.example.gov.vn/files/${code}/kq.pdf`, MaGiayToKetQua: '' }] : [],
      ...(opts.withProgress === false ? {} : { QuaTrinhXuLy: progress }),
    };
  }
}
