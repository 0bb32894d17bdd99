/**
 * Đơn vị: Biểu 06 figures of each unit for the current reporting month (or the one asked for),
 * with the late rate highlighted above the threshold.
 */
import { html } from 'hono/html';
import type { Bieu06Counts, Bieu06Rates, PeriodCalendar } from '../../rules/index.ts';
import { createCalendar } from '../../rules/index.ts';
import { formatDate, formatNumber, formatPercent } from '../format.ts';
import { vi, type Html } from '../layout.ts';
import { currentReportMonth, unitReport } from '../unit-report.ts';
import type { DashboardDeps } from '../types.ts';

export const DEFAULT_LATE_THRESHOLD = 10;

/** Rule warnings in Vietnamese (the rules name them in English for logs). */
const WARNING_LABELS: Record<string, string> = {
  no_receipt_time: 'Hồ sơ đã qua bước tiếp nhận nhưng thiếu ngày tiếp nhận: không được tính',
  no_due_date: 'Thiếu ngày hẹn trả và thời hạn trong danh mục: không phân loại được đúng hạn / quá hạn',
  end_time_missing: 'Trạng thái kết thúc nhưng thiếu thời điểm kết thúc: tính là đang giải quyết',
  end_before_receipt: 'Thời điểm kết thúc trước ngày tiếp nhận',
  duplicate_dossier: 'Mã hồ sơ xuất hiện nhiều lần; chỉ tính lần đầu',
};
const warningText = (w: { code: string; message: string }) => WARNING_LABELS[w.code] ?? w.message;

function cells(c: Bieu06Counts, r: Bieu06Rates): Html {
  const n = (v: number) => html`<td class="num">${formatNumber(v)}</td>`;
  return html`${n(c.received.total)}${n(c.received.carriedOver)}${n(c.received.new)}${n(c.received.online)}
    ${n(c.resolved.total)}${n(c.resolved.early)}${n(c.resolved.onTime)}${n(c.resolved.late)}
    ${n(c.inProgress.total)}${n(c.inProgress.withinDeadline)}${n(c.inProgress.overdue)}
    <td class="num">${formatPercent(r.resolvedOnTime)}</td><td class="num rate">${formatPercent(r.late)}</td>`;
}

export async function unitsPage(deps: DashboardDeps, query: { month?: string | undefined; calendar?: string | undefined }): Promise<Html> {
  const calendar: PeriodCalendar = query.calendar === 'calendar' ? 'calendar' : 'admin';
  const now = deps.now?.() ?? new Date();
  const month = query.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(query.month) ? query.month : currentReportMonth(now, calendar);
  const threshold = deps.lateRateThreshold ?? DEFAULT_LATE_THRESHOLD;
  const report = await unitReport(deps.ledger, { month, calendar, workingCalendar: deps.calendar ?? createCalendar(), now });
  const [y, m] = month.split('-');
  const rows = report.rows.map((r) => {
    const late = r.rates.late !== null && r.rates.late > threshold;
    return html`<tr data-unit="${r.unitCode ?? ''}"${late ? html` class="late" data-late="true"` : ''}><td>${vi(r.unitName)}<br><span class="muted">${r.unitCode ?? vi('(không rõ mã)')}</span></td>${cells(r, r.rates)}</tr>`;
  });
  const option = (value: PeriodCalendar, label: string) => html`<option value="${value}"${value === calendar ? ' selected' : ''}>${vi(label)}</option>`;
  const lateCount = report.rows.filter((r) => r.rates.late !== null && r.rates.late > threshold).length;

  return html`<form method="get" class="filters"><label>${vi('Tháng')} <input type="month" name="thang" value="${month}"></label>
  <label>${vi('Kỳ')} <select name="lich">${option('admin', 'Kỳ báo cáo (15 → 14)')}${option('calendar', 'Tháng dương lịch')}</select></label>
  <button type="submit">${vi('Xem')}</button></form>
<p id="ky-bao-cao">${vi(`Biểu số 06 tháng ${m}/${y}`)}: ${formatDate(report.period.from)} – ${formatDate(report.period.to)}
  · ${vi('tính đến')} ${formatDate(report.asOf.slice(0, 10))} · ${vi(`tô đỏ khi tỷ lệ trễ hạn trên ${formatPercent(threshold)}`)}
  ${lateCount ? html`· <b class="bad">${vi(`${lateCount} đơn vị vượt ngưỡng`)}</b>` : ''}</p>
<section id="bieu-06"><table>
  <thead><tr><th rowspan="2">${vi('Đơn vị')}</th><th colspan="4">${vi('Số hồ sơ nhận giải quyết')}</th><th colspan="4">${vi('Đã giải quyết')}</th><th colspan="3">${vi('Đang giải quyết')}</th><th rowspan="2" class="num">${vi('Tỷ lệ đúng hạn')}</th><th rowspan="2" class="num">${vi('Tỷ lệ trễ hạn')}</th></tr>
  <tr><th class="num">${vi('Tổng')}</th><th class="num">${vi('Tồn kỳ trước')}</th><th class="num">${vi('Mới')}</th><th class="num">${vi('Trực tuyến')}</th>
  <th class="num">${vi('Tổng')}</th><th class="num">${vi('Trước hạn')}</th><th class="num">${vi('Đúng hạn')}</th><th class="num">${vi('Quá hạn')}</th>
  <th class="num">${vi('Tổng')}</th><th class="num">${vi('Trong hạn')}</th><th class="num">${vi('Quá hạn')}</th></tr></thead>
  <tbody>${rows.length ? rows : html`<tr><td colspan="14" class="muted">${vi('Không có hồ sơ trong kỳ này.')}</td></tr>`}</tbody>
  <tfoot><tr id="tong-cong"><th>${vi('Tổng cộng')}</th>${cells(report.totals, report.totals.rates)}</tr></tfoot>
</table></section>
${report.warnings.length ? html`<section id="canh-bao"><h2>${vi('Cảnh báo')}</h2><ul>${report.warnings.slice(0, 50).map((w) => html`<li>${vi(warningText(w))}${w.dossierCodes.length ? html` <span class="muted">(${w.dossierCodes.slice(0, 5).join(', ')})</span>` : ''}</li>`)}</ul></section>` : ''}`;
}
