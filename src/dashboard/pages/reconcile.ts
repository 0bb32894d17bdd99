/**
 * Đối soát: the history of reconciliations, one run's differences with their reasons in
 * Vietnamese, and a repair button for operators (re-pull, re-queue; the next sync delivers).
 */
import { html } from 'hono/html';
import { BUCKET_LABELS_VI } from '../../reconcile/buckets.ts';
import { REASON_LABELS_VI, type Reason } from '../../reconcile/types.ts';
import { hasRole } from '../auth.ts';
import { formatDate, formatInstant, formatNumber } from '../format.ts';
import { named, notice, td, vi, type Html } from '../layout.ts';
import type { UnitRegistry } from '../../units/registry.ts';
import type { DashboardDeps, DashboardUser, ReconcilePort } from '../types.ts';

const NONE = () =>
  html`<section id="chua-co-doi-soat"><p class="notice info">${vi('Chưa có đối soát: bản triển khai này không có chức năng đối soát.')}</p></section>`;

export async function reconcileListPage(deps: DashboardDeps, base: string): Promise<Html> {
  if (!deps.reconcile) return NONE();
  const runs = await deps.reconcile.list(50);
  if (runs.length === 0) {
    return html`<section id="chua-co-doi-soat"><p class="notice info">${vi('Chưa có lần đối soát nào.')}</p>
      <p class="muted">${vi('Chạy đối soát bằng lệnh')} <code>lienthong reconcile --target national --month 2026-10</code>.</p></section>`;
  }
  const rows = runs.map(
    (r) => html`<tr data-id="${r.id}">${td(null, html`<a href="${base}/doi-soat/${r.id}">${r.id.slice(0, 8)}</a> · ${formatInstant(r.createdAt)}`, 'lead')}
      ${td('Đích', named(deps.config.targets, r.scope.target))}${td('Phạm vi', `${formatDate(r.scope.from)} – ${formatDate(r.scope.to)}`)}
      ${td('Chênh lệch', formatNumber(r.differenceCount), `num ${r.differenceCount ? 'bad' : 'ok'}`)}
      ${td('Sửa', r.repaired ? vi('Đã sửa') : r.differenceCount ? vi('Chưa sửa') : '—')}</tr>`,
  );
  return html`<section id="lich-su-doi-soat"><table class="stack"><thead><tr><th>${vi('Lần đối soát · thời điểm')}</th><th>${vi('Đích')}</th><th>${vi('Phạm vi')}</th><th class="num">${vi('Chênh lệch')}</th><th>${vi('Sửa')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function repairedText(repaired: unknown): string {
  const r = (repaired ?? {}) as Record<string, number>;
  return `Đã sửa: lấy lại ${r['repulled'] ?? 0}, vẫn cách ly ${r['stillQuarantined'] ?? 0}, đánh dấu đã xoá ${r['markedDeleted'] ?? 0}, xếp hàng gửi lại ${r['requeued'] ?? 0}, gửi lại lên Cổng ${r['resent'] ?? 0}, để người xử lý ${r['leftAlone'] ?? 0}.`;
}

export async function reconcileShowPage(
  port: ReconcilePort,
  user: DashboardUser,
  base: string,
  id: string,
  justRepaired: boolean,
  targets: ReadonlyArray<{ id: string; name?: string | undefined }> = [],
  unitRegistry?: () => Promise<UnitRegistry | null>,
): Promise<Html> {
  const [report, registry] = await Promise.all([port.show(id), unitRegistry?.() ?? null]);
  // A unit by its registry name (`reports.units`) with the code beside; the code alone without one.
  const unit = (code: string | null) => {
    const name = code === null ? undefined : registry?.latest(code)?.name;
    return code === null ? '—' : name ? `${vi(name)} (${code})` : code;
  };
  const differing = report.counts.filter((c) => c.differs);
  const cell = (label: string, v: number | null) => td(label, v === null ? '—' : formatNumber(v), 'num');
  const canRepair = hasRole(user, 'operator') && report.differences.length > 0;
  return html`${justRepaired ? notice('ok', repairedText(report.repaired)) : report.repaired ? notice('info', repairedText(report.repaired)) : ''}
<p>${vi('Đích')} <b>${named(targets, report.scope.target)}</b> · ${formatDate(report.scope.from)} – ${formatDate(report.scope.to)} · ${vi('lúc')} ${formatInstant(report.createdAt)}
  · <b class="${report.differences.length ? 'bad' : 'ok'}">${vi(`${report.differences.length} hồ sơ chênh lệch`)}</b></p>
${canRepair ? html`<form method="post" action="${base}/doi-soat/${report.id}/sua"><button type="submit">${vi('Sửa chênh lệch')}</button> <span class="muted">${vi('Lấy lại từ nguồn và xếp hàng gửi lại; lần đồng bộ tới sẽ gửi lên Cổng.')}</span></form>` : ''}
<section id="so-lieu-lech"><h2>${vi('Số liệu lệch theo đơn vị')}</h2>${
    differing.length
      ? html`<table class="stack"><thead><tr><th>${vi('Đơn vị · chỉ tiêu')}</th><th class="num">${vi('Nguồn')}</th><th class="num">${vi('Sổ')}</th><th class="num">${vi('Đã gửi')}</th><th class="num">${vi('Cổng')}</th></tr></thead>
        <tbody>${differing.map((c) => html`<tr>${td(null, html`${unit(c.unitCode)} · ${vi(BUCKET_LABELS_VI[c.bucket] ?? c.bucket)}`, 'lead')}${cell('Nguồn', c.source)}${cell('Sổ', c.ledger)}${cell('Đã gửi', c.delivered)}${cell('Cổng', c.portal)}</tr>`)}</tbody></table>`
      : html`<p class="ok">${vi('Các số liệu khớp nhau.')}</p>`
  }</section>
<section id="chenh-lech"><h2>${vi('Hồ sơ chênh lệch')}</h2>${
    report.differences.length
      ? html`<table class="stack"><thead><tr><th>${vi('Mã hồ sơ')}</th><th>${vi('Đơn vị')}</th><th>${vi('Lý do')}</th></tr></thead>
        <tbody>${report.differences.slice(0, 500).map((d) => html`<tr>${td(null, html`<a href="${base}/ho-so?ma=${encodeURIComponent(d.code)}">${d.code}</a>`, 'lead')}${td('Đơn vị', unit(d.unitCode))}${td('Lý do', vi(REASON_LABELS_VI[d.reason as Reason] ?? d.reason))}</tr>`)}</tbody></table>`
      : html`<p class="ok">${vi('Không có hồ sơ chênh lệch.')}</p>`
  }</section>`;
}
