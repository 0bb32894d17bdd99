/**
 * The report tables in Vietnamese: Biểu số 06/VPCP/KSTT (column layout of rules.md §10.1), the
 * 766 indicators, apology letters due, and deadline mismatches.
 */
import type { Bieu06Counts, Bieu06Rates, RuleWarning } from '../../rules/index.ts';
import type { Bieu06Report } from '../bieu06-report.ts';
import type { MismatchReport } from '../deadline-mismatch.ts';
import type { IndicatorReport } from '../indicators-report.ts';
import type { LateReport } from '../late-report.ts';
import type { ChartSpec } from './svg-chart.ts';
import type { HeaderCell, ReportTable, TableRow } from './table.ts';
import { formatCount, formatDateVi, formatInstantVi, formatPercent } from './vi-number.ts';
import { indicatorNoteVi, indicatorReasonVi, warningTextVi } from './words.ts';

export interface TableOptions {
  /** Late rates (%) above this are highlighted. */
  lateThreshold: number;
}

const period = (p: { from: string; to: string }) => `Kỳ báo cáo: từ ngày ${formatDateVi(p.from)} đến ngày ${formatDateVi(p.to)}`;
const generated = (at: string) => `Thời điểm lập báo cáo: ${formatInstantVi(at)} · Nguồn: sổ cái cổng kết nối lienthong`;

/** Each warning in Vietnamese (src/reports/formats/words.ts, shared with the dashboard); the JSON keeps the original message. */
function warningNotes(warnings: RuleWarning[]): string[] {
  return warnings.map((w) => {
    const codes = w.dossierCodes.length ? ` — hồ sơ: ${w.dossierCodes.slice(0, 20).join(', ')}${w.dossierCodes.length > 20 ? ` … (${formatCount(w.dossierCodes.length)} hồ sơ)` : ''}` : '';
    return `Cảnh báo [${w.code}]${w.key ? ` ${w.key}` : ''}: ${warningTextVi(w)}${codes}`;
  });
}

const RATE_HEADS = ['Giải quyết đúng hạn', 'Trễ hạn', 'Nộp trực tuyến', 'Số hóa', 'Kết quả điện tử', 'Thanh toán trực tuyến', 'Đúng hạn (766 2.1)'];
const GROUP_LABEL = { unit: null, field: 'Lĩnh vực', procedure: 'Thủ tục hành chính' } as const;

function countCells(c: Bieu06Counts & { rates: Bieu06Rates }): (number | null)[] {
  return [
    c.received.total, c.received.online, c.received.offline, c.received.carriedOver,
    c.resolved.total, c.resolved.early, c.resolved.onTime, c.resolved.late,
    c.inProgress.total, c.inProgress.withinDeadline, c.inProgress.overdue,
    c.rates.resolvedOnTime, c.rates.late, c.rates.online, c.rates.digitisation, c.rates.eResult, c.rates.onlinePayment, c.rates.onTime766, c.rates.score766,
  ];
}

/**
 * Biểu 06 with its three header rows: the groups, "Tổng số" / "Trong đó", and the split columns.
 * @example toXlsx([bieu06Table(report, { lateThreshold: 5 })])
 */
export function bieu06Table(r: Bieu06Report, o: TableOptions): ReportTable {
  const extra = GROUP_LABEL[r.groupBy];
  const lead = 2 + (extra ? 1 : 0);
  const header: HeaderCell[][] = [
    [
      { label: 'STT', rowSpan: 3 },
      { label: 'Đơn vị', rowSpan: 3 },
      ...(extra ? [{ label: extra, rowSpan: 3 }] : []),
      { label: 'Số hồ sơ nhận giải quyết', colSpan: 4 },
      { label: 'Số hồ sơ đã giải quyết', colSpan: 4 },
      { label: 'Số hồ sơ đang giải quyết', colSpan: 3 },
      { label: 'Tỷ lệ (%)', colSpan: RATE_HEADS.length },
      { label: 'Điểm 766 (2.1, tối đa 20)', rowSpan: 3 },
    ],
    [
      { label: 'Tổng số', rowSpan: 2 },
      { label: 'Trong đó', colSpan: 3 },
      { label: 'Tổng số', rowSpan: 2 },
      { label: 'Trong đó', colSpan: 3 },
      { label: 'Tổng số', rowSpan: 2 },
      { label: 'Trong đó', colSpan: 2 },
      ...RATE_HEADS.map((label) => ({ label, rowSpan: 2 })),
    ],
    [
      { label: 'Trực tuyến' }, { label: 'Trực tiếp, dịch vụ bưu chính' }, { label: 'Từ kỳ trước' },
      { label: 'Trước hạn' }, { label: 'Đúng hạn' }, { label: 'Quá hạn' },
      { label: 'Trong hạn' }, { label: 'Quá hạn' },
    ],
  ];
  const lateCol = lead + 12;
  const mark = (rate: number | null) => (rate !== null && rate > o.lateThreshold ? [lateCol] : []);
  const rows: TableRow[] = r.rows.map((x, i) => {
    const label = r.groupBy === 'field' ? (x.fieldName ?? x.fieldCode ?? '') : r.groupBy === 'procedure' ? `${x.procedureCode ?? ''} ${x.procedureName ?? ''}`.trim() : null;
    return { cells: [i + 1, `${x.unitName}${x.unitCode ? ` (${x.unitCode})` : ''}`, ...(label !== null ? [label] : []), ...countCells(x)], highlight: mark(x.rates.late) };
  });
  rows.push({ cells: ['', 'Tổng cộng', ...(extra ? [''] : []), ...countCells(r.totals)], total: true, highlight: mark(r.totals.rates.late) });
  return {
    sheet: 'Biểu 06',
    title: 'Biểu số 06/VPCP/KSTT — Tình hình, kết quả giải quyết thủ tục hành chính',
    meta: [period(r.period), `Thời điểm xét hạn: ${formatInstantVi(r.asOf)}`, generated(r.generatedAt), 'Đơn vị tính: số hồ sơ'],
    header,
    columns: [{ kind: 'count', width: 6 }, { kind: 'text', width: 40 }, ...(extra ? [{ kind: 'text' as const, width: 36 }] : []), ...Array.from({ length: 11 }, () => ({ kind: 'count' as const })), ...RATE_HEADS.map(() => ({ kind: 'percent' as const })), { kind: 'score' as const }],
    rows,
    notes: [
      'Tồn kỳ trước: tiếp nhận trước kỳ, chưa giải quyết xong lúc đầu kỳ. Đã giải quyết: kết thúc xử lý trong kỳ (trạng thái 9 > 10 > 8/3/7). Trước hạn/đúng hạn/quá hạn: so ngày kết thúc với ngày hẹn trả (giờ Việt Nam).',
      'Tỷ lệ trễ hạn = (đã giải quyết quá hạn + đang giải quyết quá hạn) ÷ tổng số nhận giải quyết; tỷ lệ đúng hạn 766 = (giải quyết đúng hạn + đang trong hạn) ÷ tổng số; điểm = 20 × tỷ lệ.',
      ...warningNotes(r.warnings),
    ],
    legend: `Tỷ lệ trễ hạn trên ${formatPercent(o.lateThreshold)}`,
    charts: bieu06Charts(r, o),
  };
}

/** Per unit late and on-time rates against the threshold, and the months of the period (HTML). */
function bieu06Charts(r: Bieu06Report, o: TableOptions): ChartSpec[] {
  const charts: ChartSpec[] = [];
  if (r.groupBy === 'unit' && r.rows.length) {
    const rows = r.rows.map((x) => ({ label: x.unitName, code: x.unitCode, late: x.rates.late, onTime: x.rates.resolvedOnTime }));
    charts.push({ kind: 'rates', id: 'bieu-do-ty-le', title: 'Tỷ lệ trễ hạn và tỷ lệ giải quyết đúng hạn theo đơn vị', threshold: o.lateThreshold, rows });
  }
  if (r.trend?.length) charts.push({ kind: 'trend', id: 'bieu-do-xu-huong', title: 'Số hồ sơ tiếp nhận mới và đã giải quyết theo tháng', points: r.trend });
  return charts;
}

/** The computable 766 indicators per unit: numerator, denominator, rate and score of each. */
export function indicatorTable(r: IndicatorReport): ReportTable {
  const sample = r.units[0]?.indicators ?? [];
  const shown = sample.filter((i) => i.computable);
  const skipped = sample.filter((i) => !i.computable);
  // How a computed indicator's figures were taken, once per indicator and wording (units may differ).
  const notes = new Map<string, Set<string>>();
  for (const u of [...r.units, r.total]) {
    for (const i of u.indicators) if (i.computable && i.note) notes.set(`${i.code} ${i.name}`, (notes.get(`${i.code} ${i.name}`) ?? new Set()).add(indicatorNoteVi(i.note)));
  }
  const header: HeaderCell[][] = [
    [{ label: 'STT', rowSpan: 2 }, { label: 'Đơn vị', rowSpan: 2 }, ...shown.map((i) => ({ label: `${i.code}. ${i.name}${i.maxScore ? ` (tối đa ${i.maxScore} điểm)` : ''}`, colSpan: 4 }))],
    shown.flatMap(() => [{ label: 'Tử số' }, { label: 'Mẫu số' }, { label: 'Tỷ lệ (%)' }, { label: 'Điểm' }]),
  ];
  const rows: TableRow[] = r.units.map((u, n) => ({
    cells: [
      n + 1,
      `${u.unitName}${u.unitCode ? ` (${u.unitCode})` : ''}`,
      ...u.indicators.filter((i) => i.computable).flatMap((i) => (i.computable ? [i.numerator, i.denominator, i.rate, i.score] : [])),
    ],
  }));
  if (r.units.length) {
    rows.push({ total: true, cells: [null, r.total.unitName, ...r.total.indicators.filter((i) => i.computable).flatMap((i) => (i.computable ? [i.numerator, i.denominator, i.rate, i.score] : []))] });
  }
  return {
    sheet: 'Chỉ số 766',
    title: 'Chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)',
    meta: [period(r.period), `Thời điểm xét hạn: ${formatInstantVi(r.asOf)}`, generated(r.generatedAt)],
    header,
    columns: [{ kind: 'count', width: 6 }, { kind: 'text', width: 40 }, ...shown.flatMap(() => [{ kind: 'count' as const }, { kind: 'count' as const }, { kind: 'percent' as const }, { kind: 'score' as const }])],
    rows,
    notes: [
      ...(skipped.length ? [`Không tính được từ hồ sơ đồng bộ (cần dữ liệu khác): ${skipped.map((i) => `${i.code} ${i.name}${i.computable ? '' : ` (${indicatorReasonVi(i.reason)})`}`).join('; ')}.`] : []),
      ...[...notes].map(([indicator, said]) => `Ghi chú chỉ số ${indicator}: ${[...said].join('; ')}.`),
      ...warningNotes(r.warnings),
    ],
  };
}

/** Dossiers whose apology letter (Mẫu 04) is due: overdue rows highlighted. */
export function lateTable(r: LateReport): ReportTable {
  return {
    sheet: 'Phiếu xin lỗi',
    title: 'Danh sách hồ sơ sắp đến hạn, chưa giải quyết xong — cần gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả',
    meta: [`Ngày xét: ${formatDateVi(r.at)} · hạn trả đến hết ngày ${formatDateVi(r.window.to)}`, generated(r.generatedAt), `Số hồ sơ: ${formatCount(r.rows.length)}`],
    header: [['STT', 'Mã hồ sơ', 'Đơn vị', 'Thủ tục hành chính', 'Ngày tiếp nhận', 'Hạn trả kết quả', 'Hạn gửi phiếu xin lỗi', 'Tình trạng'].map((label) => ({ label }))],
    columns: [{ kind: 'count', width: 6 }, { kind: 'text', width: 30 }, { kind: 'text', width: 32 }, { kind: 'text', width: 48 }, { kind: 'text', width: 18 }, { kind: 'date' }, { kind: 'date' }, { kind: 'text', width: 16 }],
    rows: r.rows.map((x, i) => ({
      cells: [i + 1, x.code, `${x.unitName}${x.unitCode ? ` (${x.unitCode})` : ''}`, `${x.procedureCode} ${x.procedureName}`, formatInstantVi(x.receivedAt), x.dueDate, x.apologyBy, x.overdue ? 'Đã quá hạn' : 'Sắp đến hạn'],
      highlight: x.overdue ? [7] : [],
    })),
    notes: ['Phiếu xin lỗi gửi chậm nhất 01 ngày làm việc trước ngày hẹn trả; chỉ được hẹn lại một lần (Nghị định 61/2018 Điều 19, Nghị định 118/2025). Hồ sơ đang chờ bổ sung không tính.'],
    legend: 'Hồ sơ đã quá hạn trả kết quả',
  };
}

/** Dossiers whose NgayHenTra differs from the catalogue's time limit. */
export function mismatchTable(r: MismatchReport): ReportTable {
  return {
    sheet: 'Lệch ngày hẹn trả',
    title: 'Danh sách hồ sơ có ngày hẹn trả khác thời hạn giải quyết theo danh mục thủ tục',
    meta: [...(r.period ? [`Tiếp nhận từ ngày ${formatDateVi(r.period.from)} đến ngày ${formatDateVi(r.period.to)}`] : []), generated(r.generatedAt), `Đã kiểm tra: ${formatCount(r.checked)} hồ sơ · lệch: ${formatCount(r.rows.length)} · thủ tục không có trong danh mục: ${formatCount(r.notInCatalog)}`],
    header: [['STT', 'Mã hồ sơ', 'Đơn vị', 'Mã TTHC', 'Ngày tiếp nhận', 'Ngày hẹn trả (hệ thống một cửa)', 'Ngày hẹn trả (tính lại)', 'Chênh lệch (ngày làm việc)', 'Số lần yêu cầu bổ sung'].map((label) => ({ label }))],
    columns: [{ kind: 'count', width: 6 }, { kind: 'text', width: 30 }, { kind: 'text', width: 32 }, { kind: 'text', width: 12 }, { kind: 'text', width: 18 }, { kind: 'date' }, { kind: 'date' }, { kind: 'count' }, { kind: 'count' }],
    rows: r.rows.map((x, i) => ({
      cells: [i + 1, x.code, `${x.unitName}${x.unitCode ? ` (${x.unitCode})` : ''}`, x.procedureCode, formatInstantVi(x.receivedAt), x.localDueDate, x.expectedDueDate, x.differenceWorkingDays, x.supplementRequests],
      highlight: x.differenceWorkingDays < 0 ? [7] : [],
    })),
    notes: ['Ngày hẹn trả tính lại từ ngày tiếp nhận theo thời hạn trong danh mục, lịch ngày làm việc của cơ quan nhà nước và quy tắc 15 giờ (nếu thủ tục quy định); không tính thời gian chờ bổ sung.'],
    legend: 'Ngày hẹn trả sớm hơn thời hạn theo quy định',
  };
}
