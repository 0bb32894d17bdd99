/**
 * The portal's dossier fields (contract §4.1) with the names local systems give them: Vietnamese
 * labels (matched with or without diacritics), the portal's own names and common English names.
 * CSV headers and scaffolded mappings are matched against this catalogue.
 */

export interface FieldInfo {
  /** Portal field (`DongBoHoSoMC`), or `MaDonVi` (local unit code → `unit.code` via the unit table). */
  field: string;
  /** The canonical dossier's path (docs/glossary.md). */
  canonical: string;
  required?: boolean;
  date?: boolean;
  /** How local systems name it; compared by {@link fieldKey}. */
  names: readonly string[];
}

export const DOSSIER_FIELDS: readonly FieldInfo[] = [
  { field: 'MaHoSo', canonical: 'code', required: true, names: ['Mã hồ sơ', 'Số hồ sơ', 'dossierNo', 'dossier code', 'dossier number', 'case number', 'application number'] },
  { field: 'SoBienNhan', canonical: 'receiptNumber', names: ['Số biên nhận', 'Số phiếu', 'receipt number', 'receiptNo'] },
  { field: 'MaTTHC', canonical: 'procedure.code', required: true, names: ['Mã thủ tục', 'Mã TTHC', 'Mã thủ tục hành chính', 'procedure code', 'service code', 'procedureCode', 'serviceCode'] },
  { field: 'TenTTHC', canonical: 'procedure.name', required: true, names: ['Tên thủ tục', 'Tên TTHC', 'Thủ tục', 'Tên thủ tục hành chính', 'procedure name', 'procedure', 'service name', 'serviceName'] },
  { field: 'MaLinhVuc', canonical: 'procedure.fieldCode', names: ['Mã lĩnh vực', 'domain code', 'sector code', 'domainCode'] },
  { field: 'TenLinhVuc', canonical: 'procedure.fieldName', names: ['Lĩnh vực', 'Tên lĩnh vực', 'domain name', 'sector', 'domainName'] },
  { field: 'MaDonVi', canonical: 'unit.code', names: ['Mã đơn vị', 'Mã cơ quan', 'Mã đơn vị xử lý', 'unit code', 'agency code', 'govAgencyCode', 'agencyCode', 'unitCode'] },
  { field: 'DonViXuLy', canonical: 'unit.name', required: true, names: ['Đơn vị xử lý', 'Đơn vị', 'Cơ quan xử lý', 'Cơ quan', 'Cơ quan giải quyết', 'unit name', 'agency name', 'agency', 'govAgencyName', 'department'] },
  { field: 'KenhThucHien', canonical: 'channel', names: ['Kênh thực hiện', 'Kênh nộp', 'Hình thức nộp', 'channel'] },
  { field: 'ChuHoSo', canonical: 'applicant.name', names: ['Chủ hồ sơ', 'Người nộp', 'Người nộp hồ sơ', 'Họ tên', 'Họ và tên', 'Tên người nộp', 'Người đứng tên', 'applicant', 'applicant name', 'applicantName', 'full name'] },
  { field: 'LoaiDoiTuong', canonical: 'applicant.type', required: true, names: ['Loại đối tượng', 'Đối tượng', 'applicant type', 'applicantType'] },
  { field: 'SoGiayToChuHoSo', canonical: 'applicant.idNumber', names: ['Số giấy tờ', 'Số CCCD', 'CCCD', 'CMND', 'Số CMND', 'Số định danh', 'Số giấy tờ chủ hồ sơ', 'id number', 'applicantIdNo', 'citizen id', 'idNumber'] },
  { field: 'MaDoiTuong', canonical: 'applicant.accountId', names: ['Mã đối tượng', 'Mã công dân', 'account id', 'accountId'] },
  { field: 'Email', canonical: 'applicant.email', names: ['Email', 'Thư điện tử', 'contactEmail', 'e-mail'] },
  { field: 'Fax', canonical: 'applicant.fax', names: ['Fax'] },
  { field: 'SoDienThoai', canonical: 'applicant.phone', names: ['Số điện thoại', 'Điện thoại', 'SĐT', 'phone', 'phone number', 'telephone', 'mobile', 'contactTelNo'] },
  { field: 'TrichYeuHoSo', canonical: 'summary', required: true, names: ['Trích yếu', 'Trích yếu hồ sơ', 'Nội dung', 'Nội dung hồ sơ', 'summary', 'subject', 'title', 'dossierName', 'description'] },
  { field: 'ThongTinKhac', canonical: 'otherInfo', names: ['Thông tin khác', 'other info'] },
  { field: 'GhiChu', canonical: 'note', names: ['Ghi chú', 'note', 'notes', 'remark', 'remarks'] },
  { field: 'NoiNopHoSo', canonical: 'submissionPlace', names: ['Nơi nộp', 'Nơi nộp hồ sơ', 'submission place'] },
  { field: 'HinhThuc', canonical: 'resultDelivery', required: true, names: ['Hình thức trả', 'Hình thức nhận kết quả', 'Hình thức trả kết quả', 'delivery method', 'result delivery'] },
  { field: 'ThongTinTra', canonical: 'returnInfo', names: ['Thông tin trả', 'return info'] },
  { field: 'NgayNopHoSo', canonical: 'dates.submittedAt', date: true, names: ['Ngày nộp', 'Ngày nộp hồ sơ', 'Thời gian nộp', 'submitted at', 'submit date', 'submitDate', 'submittedAt', 'submission date'] },
  { field: 'NgayTiepNhan', canonical: 'dates.receivedAt', required: true, date: true, names: ['Ngày tiếp nhận', 'Ngày nhận', 'Thời gian tiếp nhận', 'Ngày nhận hồ sơ', 'received at', 'receive date', 'receiveDate', 'receivedAt', 'received date', 'date received'] },
  { field: 'NgayHenTra', canonical: 'dates.dueAt', date: true, names: ['Ngày hẹn trả', 'Hẹn trả', 'Ngày hẹn trả kết quả', 'Hạn xử lý', 'due date', 'dueDate', 'dueAt', 'due at', 'deadline'] },
  { field: 'NgayKetThucXuLy', canonical: 'dates.finishedAt', date: true, names: ['Ngày kết thúc xử lý', 'Ngày hoàn thành', 'Ngày xử lý xong', 'Ngày có kết quả', 'finish date', 'finishDate', 'finishedAt', 'finished at', 'completed at', 'completion date'] },
  { field: 'NgayTra', canonical: 'dates.returnedAt', date: true, names: ['Ngày trả', 'Ngày trả kết quả', 'returned at', 'release date', 'releaseDate', 'returnedAt', 'return date'] },
  { field: 'NgayTuChoi', canonical: 'dates.refusedAt', date: true, names: ['Ngày từ chối', 'refused at', 'refusedAt', 'rejection date'] },
  { field: 'TrangThaiHoSo', canonical: 'status', required: true, names: ['Trạng thái', 'Trạng thái hồ sơ', 'Tình trạng', 'status', 'dossierStatus', 'state'] },
  { field: 'HoSoCoThanhPhanSoHoa', canonical: 'flags.hasDigitisedComponents', names: ['Có thành phần số hóa', 'digitised'] },
  { field: 'TaiKhoanDuocXacThucVoiVNeID', canonical: 'flags.vneidVerified', names: ['Xác thực VNeID', 'vneid verified'] },
  { field: 'DuocThanhToanTrucTuyen', canonical: 'flags.paidOnline', names: ['Thanh toán trực tuyến', 'paid online'] },
];

/** Sub-status header names (read with the status through the sub-status table). */
export const SUB_STATUS_NAMES = ['Trạng thái con', 'Trạng thái phụ', 'Tình trạng xử lý', 'sub status', 'subStatus', 'dossierSubStatus'];

export const DATE_FIELDS: ReadonlySet<string> = new Set(DOSSIER_FIELDS.filter((f) => f.date).map((f) => f.field));
export const REQUIRED_FIELDS: readonly string[] = DOSSIER_FIELDS.filter((f) => f.required).map((f) => f.field);

/**
 * A name reduced for matching: no diacritics (đ → d), lower case, letters and digits only.
 *
 * @example
 * fieldKey('Ngày hẹn trả'); // 'ngayhentra'
 * fieldKey('NgayHenTra'); // 'ngayhentra'
 */
export function fieldKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const BY_KEY = new Map<string, string>();
for (const f of DOSSIER_FIELDS) {
  BY_KEY.set(fieldKey(f.field), f.field);
  for (const n of f.names) if (!BY_KEY.has(fieldKey(n))) BY_KEY.set(fieldKey(n), f.field);
}
for (const n of SUB_STATUS_NAMES) BY_KEY.set(fieldKey(n), '$subStatus');

/**
 * The portal field a local name stands for (`$subStatus` for a sub-status), or undefined.
 *
 * @example
 * matchField('Ngay hen tra'); // 'NgayHenTra'
 * matchField('dueDate'); // 'NgayHenTra'
 */
export function matchField(name: string): string | undefined {
  return BY_KEY.get(fieldKey(name));
}
