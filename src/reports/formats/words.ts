/**
 * The one list of Vietnamese words for what the rules and reports report in English (or with ISO
 * dates) for logs and the API: rule warnings by their code, and why a 766 indicator could not be
 * computed. The report files (HTML, XLSX) and the dashboard's pages both read it; the JSON keeps
 * the original message. Codes, keys and file names are never translated.
 */
import { formatCount, formatDateVi } from './vi-number.ts';

/** What a warning carries that the wording needs. */
export interface WarningLike {
  code: string;
  message: string;
  key?: string | null;
}

/** Warnings whose text does not depend on the figures: the classification issues of src/rules. */
const FIXED: Record<string, string> = {
  no_receipt_time: 'Hồ sơ đã qua bước tiếp nhận nhưng thiếu ngày tiếp nhận: không được tính',
  no_due_date: 'Thiếu ngày hẹn trả và thời hạn trong danh mục: không phân loại được đúng hạn / quá hạn',
  end_time_missing: 'Trạng thái kết thúc nhưng thiếu thời điểm kết thúc: tính là đang giải quyết',
  end_before_receipt: 'Thời điểm kết thúc trước ngày tiếp nhận',
  duplicate_dossier: 'Mã hồ sơ xuất hiện nhiều lần; chỉ tính lần đầu',
};

const IDENTITY: Record<string, string> = {
  identity_received: 'Số nhận giải quyết không bằng đã giải quyết cộng đang giải quyết',
  identity_resolved: 'Số đã giải quyết không bằng trước hạn cộng đúng hạn cộng quá hạn',
  identity_in_progress: 'Số đang giải quyết không bằng trong hạn cộng quá hạn',
};

/** The rules' carry-over text (src/rules/bieu06.ts checkCarryOver), and what src/reports appends to it. */
const CARRY_OVER = /^đang giải quyết (\d+) \((\d{4}-\d{2}-\d{2})\) ≠ tồn kỳ trước (\d+) \((\d{4}-\d{2}-\d{2})\)(.*)$/s;
const PUBLISHED = /^ — theo báo cáo đã công bố (.+?)(?=; no dossier disagrees|$)/s;
const NO_DOSSIER_DISAGREES = "; no dossier disagrees with itself: the previous figures come from other data (listed: this period's carried-over dossiers)";

function carryOverVi(w: WarningLike): string {
  const m = CARRY_OVER.exec(w.message);
  if (!m) return isoDatesVi(w.message);
  const [, before = '', to = '', after = '', from = '', rest = ''] = m;
  let tail = rest;
  let said = '';
  const published = PUBLISHED.exec(tail);
  if (published) {
    said += ` — theo báo cáo đã công bố ${published[1]}`;
    tail = tail.slice(published[0].length);
  }
  if (tail.startsWith(NO_DOSSIER_DISAGREES)) {
    said += '; không hồ sơ nào tự mâu thuẫn: số liệu kỳ trước lấy từ dữ liệu khác (danh sách dưới đây là các hồ sơ tồn kỳ trước của kỳ này)';
    tail = tail.slice(NO_DOSSIER_DISAGREES.length);
  }
  return `Tồn kỳ trước không khớp kỳ trước: đang giải quyết ${formatCount(Number(before))} (ngày ${formatDateVi(to)}) ≠ tồn kỳ trước ${formatCount(Number(after))} (ngày ${formatDateVi(from)})${said}${isoDatesVi(tail)}`;
}

/** Every `yyyy-mm-dd` in a text as `dd/mm/yyyy`. */
const isoDatesVi = (text: string) => text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1');

/**
 * A rule warning as people on a Vietnamese page read it; an unknown code keeps its message (with
 * its dates written dd/mm/yyyy).
 * @example warningTextVi({ code: 'end_before_receipt', message: 'end of processing is before NgayTiepNhan' }) // 'Thời điểm kết thúc trước ngày tiếp nhận'
 * warningTextVi({ code: 'carry_over_mismatch', message: 'đang giải quyết 3 (2026-09-30) ≠ tồn kỳ trước 2 (2026-10-01)' })
 * // 'Tồn kỳ trước không khớp kỳ trước: đang giải quyết 3 (ngày 30/09/2026) ≠ tồn kỳ trước 2 (ngày 01/10/2026)'
 */
export function warningTextVi(w: WarningLike): string {
  const fixed = FIXED[w.code];
  if (fixed) return fixed;
  const identity = IDENTITY[w.code];
  if (identity) return `${identity}: ${w.message}`;
  if (w.code === 'carry_over_mismatch' || w.code === 'carry_over_mismatch_published') return carryOverVi(w);
  if (w.code === 'unit_not_in_registry') return `Đơn vị${w.key ? ` ${w.key}` : ''} không có trong danh mục đơn vị: được nhóm theo mã, với tên ghi trên hồ sơ`;
  return isoDatesVi(w.message);
}

/** Why a 766 indicator cannot be computed from synced dossiers (src/rules/indicators.ts), in Vietnamese. */
const REASONS: Record<string, string> = {
  'needs publication decisions and legal-basis dates from the TTHC database': 'cần quyết định công bố và ngày có hiệu lực của căn cứ pháp lý từ CSDL quốc gia về TTHC',
  'needs publication and disclosure dates from the TTHC database': 'cần ngày công bố và ngày công khai từ CSDL quốc gia về TTHC',
  'needs the published content of each TTHC': 'cần nội dung công khai của từng TTHC',
  'needs the list of dossiers the portal holds (delivery receipts)': 'cần danh sách hồ sơ Cổng DVCQG đã nhận (biên nhận gửi hồ sơ)',
  'shown per TTHC against CSDLQG limits; carries no points': 'xem theo từng TTHC so với thời hạn trong CSDL quốc gia; không tính điểm',
  'needs the online-service catalogue of the unit': 'cần danh mục dịch vụ công trực tuyến của đơn vị',
  "needs the portal's list of fee procedures integrated for payment": 'cần danh sách TTHC có phí, lệ phí đã tích hợp thanh toán trên Cổng DVCQG',
  'procedure-level connection, not visible on dossiers': 'kết nối tính theo TTHC, không thấy được trên hồ sơ',
  'counts communes offering the service, not dossiers': 'đếm số xã cung cấp dịch vụ, không đếm hồ sơ',
  'needs petition (PAKN) data': 'cần dữ liệu phản ánh, kiến nghị (PAKN)',
  'needs petitions and dislikes per dossier': 'cần phản ánh, kiến nghị và đánh giá không hài lòng của từng hồ sơ',
};

/** Notes on a computed 766 indicator (how its figures were taken), in Vietnamese. */
const NOTES: Record<string, string> = {
  'no national-report figure: denominator = dossiers in the ledger': 'không có số liệu báo cáo quốc gia: mẫu số là số hồ sơ trong sổ cái',
  'score of the 12-point online-services group is not reproducible (indicators-766.md §5); denominator not scaled by the sync ratio':
    'không tính lại được điểm của nhóm dịch vụ trực tuyến (12 điểm); mẫu số không nhân theo tỷ lệ đồng bộ',
  'MaCSDL of the population database not configured: VNeID and personal-store dossiers only': 'chưa cấu hình MaCSDL của CSDL quốc gia về dân cư: chỉ tính hồ sơ qua VNeID và kho dữ liệu cá nhân',
};

/**
 * @example indicatorReasonVi('needs petition (PAKN) data') // 'cần dữ liệu phản ánh, kiến nghị (PAKN)'
 * indicatorReasonVi('something new') // 'something new' (kept as written)
 */
export const indicatorReasonVi = (reason: string): string => REASONS[reason] ?? reason;

/** @example indicatorNoteVi('no national-report figure: denominator = dossiers in the ledger') // 'không có số liệu báo cáo quốc gia: …' */
export const indicatorNoteVi = (note: string): string => NOTES[note] ?? note;
