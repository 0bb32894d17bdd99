/**
 * Vietnamese words on Vietnamese pages (issue #12 item 11): the HTML/XLSX notes of Biểu 06 and the
 * 766 indicators say each warning and each reason in Vietnamese, with dates dd/mm/yyyy, while the
 * report object (the API's JSON) keeps the rules' original message.
 */
import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../../schemas/dossier.ts';
import { checkCarryOver, createBieu06Accumulator, createCalendar, createIndicatorAccumulator, periodOf, type Bieu06Result } from '../../rules/index.ts';
import { makeDossier, UNIT_A } from '../../rules/test-dossier.ts';
import type { Bieu06Report } from '../bieu06-report.ts';
import { toHtml } from './html.ts';
import { bieu06Table, indicatorTable } from './tables.ts';
import { warningTextVi } from './words.ts';

const calendar = createCalendar();
const october = periodOf({ month: '2026-10', calendar: 'admin' }); // 15/09 → 14/10
const november = periodOf({ month: '2026-11', calendar: 'admin' }); // 15/10 → 14/11
const GENERATED = '2026-11-20T03:00:00.000Z';

function run(period: typeof october, dossiers: Dossier[]): Bieu06Result {
  const acc = createBieu06Accumulator({ ...period, groupBy: 'unit', calendar });
  for (const d of dossiers) acc.add(d);
  return acc.result();
}

const open = makeDossier({ code: 'OPEN', status: 4, received: '2026-10-01 09:00', due: '2026-12-30 17:00' });
const backwards = makeDossier({ code: 'BAD', status: 9, received: '2026-10-20 09:00', due: '2026-10-27 17:00', finished: '2026-10-02 10:00' });
const fine = makeDossier({ code: 'OK', status: 9, received: '2026-10-20 09:00', due: '2026-10-27 17:00', finished: '2026-10-21 10:00' });

describe('Biểu 06 notes in Vietnamese', () => {
  // November without the dossier October left in progress: tồn kỳ trước 0 where đang giải quyết was 1.
  const result = run(november, [backwards, fine]);
  const carry = checkCarryOver(run(october, [open]), result);
  const published = carry.map((w) => ({
    ...w,
    code: 'carry_over_mismatch_published',
    message: `${w.message} — theo báo cáo đã công bố bieu06-2026-10.json; no dossier disagrees with itself: the previous figures come from other data (listed: this period's carried-over dossiers)`,
  }));
  const report: Bieu06Report = { ...result, warnings: [...result.warnings, ...carry, ...published], generatedAt: GENERATED, examined: 2 };
  const table = bieu06Table(report, { lateThreshold: 5 });
  const notes = table.notes ?? [];

  it('keeps the original messages in the report object (the API JSON)', () => {
    expect(report.warnings.find((w) => w.code === 'end_before_receipt')?.message).toBe('end of processing is before NgayTiepNhan');
    expect(report.warnings.find((w) => w.code === 'carry_over_mismatch')?.message).toBe('đang giải quyết 1 (2026-10-14) ≠ tồn kỳ trước 0 (2026-10-15)');
  });

  it('words each warning in Vietnamese, dates dd/mm/yyyy, codes and keys kept', () => {
    expect(notes).toContain('Cảnh báo [end_before_receipt]: Thời điểm kết thúc trước ngày tiếp nhận — hồ sơ: BAD');
    expect(notes).toContain(`Cảnh báo [identity_received] ${UNIT_A.code}: Số nhận giải quyết không bằng đã giải quyết cộng đang giải quyết: tổng nhận 2 ≠ đã giải quyết 1 + đang giải quyết 0 — hồ sơ: BAD`);
    expect(notes).toContain(`Cảnh báo [carry_over_mismatch] ${UNIT_A.code}: Tồn kỳ trước không khớp kỳ trước: đang giải quyết 1 (ngày 14/10/2026) ≠ tồn kỳ trước 0 (ngày 15/10/2026)`);
    expect(notes).toContain(
      `Cảnh báo [carry_over_mismatch_published] ${UNIT_A.code}: Tồn kỳ trước không khớp kỳ trước: đang giải quyết 1 (ngày 14/10/2026) ≠ tồn kỳ trước 0 (ngày 15/10/2026) — theo báo cáo đã công bố bieu06-2026-10.json; không hồ sơ nào tự mâu thuẫn: số liệu kỳ trước lấy từ dữ liệu khác (danh sách dưới đây là các hồ sơ tồn kỳ trước của kỳ này)`,
    );
  });

  it('shows no English message and no ISO date in the HTML', () => {
    const page = toHtml([table]);
    expect(page).not.toMatch(/end of processing|no dossier disagrees|NgayTiepNhan/);
    expect(page).not.toMatch(/\(2026-10-1[45]\)/);
    for (const n of notes) expect(n.normalize('NFC')).toBe(n);
  });
});

describe('the shared wording', () => {
  it('names an unknown unit in Vietnamese and keeps an unknown code as written, dates dd/mm/yyyy', () => {
    expect(warningTextVi({ code: 'unit_not_in_registry', key: '000.99.01.H44', message: 'unit 000.99.01.H44 is not in the unit registry: grouped under its code with the name the dossiers carry' })).toBe(
      'Đơn vị 000.99.01.H44 không có trong danh mục đơn vị: được nhóm theo mã, với tên ghi trên hồ sơ',
    );
    expect(warningTextVi({ code: 'something_new', message: 'từ 2026-10-01' })).toBe('từ 01/10/2026');
  });
});

describe('766 notes in Vietnamese', () => {
  const acc = createIndicatorAccumulator({ ...october, calendar });
  acc.add(open);
  const table = indicatorTable({ ...acc.result(), generatedAt: GENERATED });
  const notes = (table.notes ?? []).join('\n');

  it('says why each indicator is not computed, in Vietnamese', () => {
    expect(notes).toContain('5.2 PAKN xử lý đúng hạn (cần dữ liệu phản ánh, kiến nghị (PAKN))');
    expect(notes).toContain('1.4 Hồ sơ đồng bộ lên Cổng DVCQG (cần danh sách hồ sơ Cổng DVCQG đã nhận (biên nhận gửi hồ sơ))');
    expect(notes).toContain('3.5 TTHC tích hợp thanh toán trực tuyến trên Cổng DVCQG (cần danh sách TTHC có phí, lệ phí đã tích hợp thanh toán trên Cổng DVCQG)');
  });

  it('words the notes of computed indicators in Vietnamese, no English left', () => {
    expect(notes).toContain('Ghi chú chỉ số 4.5b Hồ sơ sử dụng dữ liệu dân cư: chưa cấu hình MaCSDL của CSDL quốc gia về dân cư: chỉ tính hồ sơ qua VNeID và kho dữ liệu cá nhân.');
    expect(notes).not.toMatch(/needs |not configured|denominator|not reproducible|not visible/);
  });
});
