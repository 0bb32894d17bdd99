/**
 * Đơn vị: Biểu 06 figures of each unit for the current reporting month (or the one asked for),
 * with the late rate highlighted above the threshold.
 */
import { html, raw } from 'hono/html';
import type { Bieu06Counts, Bieu06Rates, PeriodCalendar } from '../../rules/index.ts';
import { createCalendar, localDateOf } from '../../rules/index.ts';
import { rateChart, trendChart } from '../../reports/formats/svg-chart.ts';
import { warningTextVi } from '../../reports/formats/words.ts';
import { formatDate, formatNumber, formatPercent } from '../format.ts';
import { td, vi, type Html } from '../layout.ts';
import { currentReportMonth, unitReport, unitTrend } from '../unit-report.ts';
import type { DashboardDeps } from '../types.ts';

/** Late rates (%) above this are highlighted: the one setting `reports.lateThreshold`, as in the report files. */
export const lateThresholdOf = (deps: Pick<DashboardDeps, 'config'>): number => deps.config.reports.lateThreshold;
/** Above the threshold, as the report files highlight (src/reports/formats/tables.ts): strictly greater. */
export const isLate = (rate: number | null, threshold: number): boolean => rate !== null && rate > threshold;

function cells(c: Bieu06Counts, r: Bieu06Rates): Html {
  const n = (label: string, v: number) => td(label, formatNumber(v), 'num');
  return html`${n('Nhận giải quyết: tổng', c.received.total)}${n('Tồn kỳ trước', c.received.carriedOver)}${n('Nhận mới', c.received.new)}${n('Nhận trực tuyến', c.received.online)}
    ${n('Đã giải quyết: tổng', c.resolved.total)}${n('Giải quyết trước hạn', c.resolved.early)}${n('Giải quyết đúng hạn', c.resolved.onTime)}${n('Giải quyết quá hạn', c.resolved.late)}
    ${n('Đang giải quyết: tổng', c.inProgress.total)}${n('Đang giải quyết trong hạn', c.inProgress.withinDeadline)}${n('Đang giải quyết quá hạn', c.inProgress.overdue)}
    ${td('Tỷ lệ đúng hạn', formatPercent(r.resolvedOnTime), 'num')}${td('Tỷ lệ trễ hạn', formatPercent(r.late), 'num rate')}`;
}

export async function unitsPage(deps: DashboardDeps, query: { month?: string | undefined; calendar?: string | undefined }): Promise<Html> {
  const calendar: PeriodCalendar = query.calendar === 'calendar' ? 'calendar' : 'admin';
  const now = deps.now?.() ?? new Date();
  const month = query.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(query.month) ? query.month : currentReportMonth(now, calendar);
  const threshold = lateThresholdOf(deps);
  const options = { month, calendar, workingCalendar: deps.calendar ?? createCalendar(), now };
  const [report, trend] = await Promise.all([unitReport(deps.ledger, options), unitTrend(deps.ledger, options, 6)]);
  const [y, m] = month.split('-');
  const rows = report.rows.map((r) => {
    const late = isLate(r.rates.late, threshold);
    return html`<tr data-unit="${r.unitCode ?? ''}"${late ? html` class="late" data-late="true"` : ''}>${td(null, html`${vi(r.unitName)} <span class="muted">(${r.unitCode ?? vi('không rõ mã')})</span>`, 'lead')}${cells(r, r.rates)}</tr>`;
  });
  const option = (value: PeriodCalendar, label: string) => html`<option value="${value}"${value === calendar ? ' selected' : ''}>${vi(label)}</option>`;
  const lateCount = report.rows.filter((r) => isLate(r.rates.late, threshold)).length;
  const totalLate = isLate(report.totals.rates.late, threshold);
  const rateSvg = rateChart({
    kind: 'rates',
    id: 'bieu-do-ty-le',
    title: vi(`Tỷ lệ trễ hạn và đúng hạn theo đơn vị, tháng ${m}/${y}`),
    threshold,
    rows: report.rows.map((r) => ({ label: r.unitName, code: r.unitCode, late: r.rates.late, onTime: r.rates.resolvedOnTime })),
  });
  const trendSvg = trendChart({ kind: 'trend', id: 'bieu-do-xu-huong', title: vi('Hồ sơ tiếp nhận mới và đã giải quyết theo tháng'), points: trend });

  return html`<form method="get" class="filters"><label>${vi('Tháng')} <input type="month" name="thang" value="${month}"></label>
  <label>${vi('Kỳ')} <select name="lich">${option('admin', 'Kỳ báo cáo (15 → 14)')}${option('calendar', 'Tháng dương lịch')}</select></label>
  <button type="submit">${vi('Xem')}</button></form>
<p id="ky-bao-cao">${vi(`Biểu số 06 tháng ${m}/${y}`)}: ${formatDate(report.period.from)} – ${formatDate(report.period.to)}
  · ${vi('tính đến')} ${formatDate(localDateOf(report.asOf))} · ${vi(`tô đỏ khi tỷ lệ trễ hạn trên ${formatPercent(threshold)}`)}
  ${lateCount ? html`· <b class="bad">${vi(`${lateCount} đơn vị vượt ngưỡng`)}</b>` : ''}</p>
<section id="bieu-do"><h2>${vi('Biểu đồ')}</h2><div class="charts">
  ${report.rows.length ? html`<figure><figcaption>${vi('Tỷ lệ theo đơn vị')}</figcaption>${raw(rateSvg)}</figure>` : ''}
  <figure><figcaption>${vi('Xu hướng 6 tháng')}</figcaption>${raw(trendSvg)}</figure></div></section>
<section id="bieu-06"><table class="stack">
  <thead><tr><th rowspan="2">${vi('Đơn vị')}</th><th colspan="4">${vi('Số hồ sơ nhận giải quyết')}</th><th colspan="4">${vi('Đã giải quyết')}</th><th colspan="3">${vi('Đang giải quyết')}</th><th rowspan="2" class="num">${vi('Tỷ lệ đúng hạn')}</th><th rowspan="2" class="num">${vi('Tỷ lệ trễ hạn')}</th></tr>
  <tr><th class="num">${vi('Tổng')}</th><th class="num">${vi('Tồn kỳ trước')}</th><th class="num">${vi('Mới')}</th><th class="num">${vi('Trực tuyến')}</th>
  <th class="num">${vi('Tổng')}</th><th class="num">${vi('Trước hạn')}</th><th class="num">${vi('Đúng hạn')}</th><th class="num">${vi('Quá hạn')}</th>
  <th class="num">${vi('Tổng')}</th><th class="num">${vi('Trong hạn')}</th><th class="num">${vi('Quá hạn')}</th></tr></thead>
  <tbody>${rows.length ? rows : html`<tr><td colspan="14" class="muted">${vi('Không có hồ sơ trong kỳ này.')}</td></tr>`}</tbody>
  <tfoot><tr id="tong-cong"${totalLate ? html` class="late" data-late="true"` : ''}>${td(null, vi('Tổng cộng'), 'lead')}${cells(report.totals, report.totals.rates)}</tr></tfoot>
</table></section>
${report.warnings.length ? html`<section id="canh-bao"><h2>${vi('Cảnh báo')}</h2><ul>${report.warnings.slice(0, 50).map((w) => html`<li>${vi(warningTextVi(w))}${w.dossierCodes.length ? html` <span class="muted">(${w.dossierCodes.slice(0, 5).join(', ')})</span>` : ''}</li>`)}</ul></section>` : ''}`;
}
