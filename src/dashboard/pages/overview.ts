/**
 * Tổng quan: the last run of each source, the outbox of each target, dead letters and open
 * quarantine.
 */
import { sql } from 'drizzle-orm';
import { html } from 'hono/html';
import { formatInstant, formatNumber } from '../format.ts';
import { hasRole } from '../auth.ts';
import { named, notice, td, vi, type Html } from '../layout.ts';
import { maskText } from '../../privacy.ts';
import { deadLetters, lastRunPerSource, latestRun, openQuarantineCounts, outboxDepth } from '../queries.ts';
import type { DashboardDeps, DashboardUser } from '../types.ts';
import { evidenceSection } from './evidence-status.ts';

const RUN_STATUS: Record<string, string> = { ok: 'Thành công', attention: 'Cần chú ý', running: 'Đang chạy', failed: 'Thất bại' };
const OUTBOX_COLUMNS = [
  ['pending', 'Chờ gửi'],
  ['delivered', 'Đã gửi'],
  ['dead', 'Gửi không thành công'],
] as const;

function card(label: string, value: number, warn = false): Html {
  return html`<div class="card${warn && value > 0 ? ' warn' : ''}"><span>${vi(label)}</span><b>${formatNumber(value)}</b></div>`;
}

/** What the last "Gửi lại" did (`?kq=gui-lai&n=3`). */
function resendNotice(result: { kq?: string | undefined; n?: string | undefined }): Html | '' {
  if (result.kq !== 'gui-lai') return '';
  const n = Number(result.n ?? 0);
  return n > 0
    ? notice('ok', `Đã xếp ${formatNumber(n)} hồ sơ vào hàng đợi để gửi lại; hồ sơ sẽ được gửi ở lần đồng bộ tới.`)
    : notice('info', 'Không còn hồ sơ gửi không thành công nào để gửi lại.');
}

export async function overviewPage(deps: DashboardDeps, user: DashboardUser, base: string, result: { kq?: string | undefined; n?: string | undefined } = {}): Promise<Html> {
  const { ledger, config } = deps;
  const [runs, latest, outbox, dead, quarantine, totals] = await Promise.all([
    lastRunPerSource(ledger),
    latestRun(ledger),
    outboxDepth(ledger),
    deadLetters(ledger),
    openQuarantineCounts(ledger),
    ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where deleted_at is null`),
  ]);
  const evidence = await evidenceSection(ledger);
  const pending = outbox.reduce((n, t) => n + (t.counts['pending'] ?? 0), 0);
  const deadCount = outbox.reduce((n, t) => n + (t.counts['dead'] ?? 0), 0);
  const quarantined = [...quarantine.values()].reduce((a, b) => a + b, 0);
  const shown = (text: string | null) => (text === null ? '' : user.role === 'viewer' ? maskText(text) : text);

  const sourceIds = [...new Set([...config.sources.map((s) => s.id), ...runs.keys()])];
  const sourceRows = sourceIds.map((id) => {
    const r = runs.get(id);
    const adapter = config.sources.find((s) => s.id === id)?.adapter ?? vi('(không còn cấu hình)');
    const name = td(null, named(config.sources, id), 'lead');
    if (!r) return html`<tr data-source="${id}">${name}${td('Bộ chuyển đổi', adapter)}<td colspan="6" class="muted">${vi('Chưa chạy lần nào')}</td>${td('Cách ly đang mở', formatNumber(quarantine.get(id) ?? 0), 'num')}</tr>`;
    const status = r.error ? html`<span class="bad">${vi('Lỗi')}: ${shown(r.error)}</span>` : html`<span class="${r.runStatus === 'ok' ? 'ok' : ''}">${vi(RUN_STATUS[r.runStatus] ?? r.runStatus)}</span>`;
    return html`<tr data-source="${id}">${name}${td('Bộ chuyển đổi', adapter)}${td('Lần chạy gần nhất', formatInstant(r.finishedAt ?? r.startedAt))}${td('Kết quả', status)}
      ${td('Đã lấy', formatNumber(r.pulled), 'num')}${td('Mới', formatNumber(r.new), 'num')}${td('Thay đổi', formatNumber(r.changed), 'num')}
      ${td('Cách ly (lần chạy)', formatNumber(r.quarantined), 'num')}${td('Cách ly đang mở', formatNumber(quarantine.get(id) ?? 0), 'num')}</tr>`;
  });
  const targetIds = [...new Set([...config.targets.map((t) => t.id), ...outbox.map((t) => t.targetId)])];
  const outboxRows = targetIds.map((id) => {
    const counts = outbox.find((t) => t.targetId === id)?.counts ?? {};
    const other = Object.entries(counts).filter(([s]) => !OUTBOX_COLUMNS.some(([k]) => k === s)).reduce((n, [, v]) => n + v, 0);
    return html`<tr data-target="${id}">${td(null, named(config.targets, id), 'lead')}${OUTBOX_COLUMNS.map(([k, l]) => td(l, formatNumber(counts[k] ?? 0), 'num'))}${td('Khác', formatNumber(other), 'num')}</tr>`;
  });
  const canResend = hasRole(user, 'operator');
  const resendForm = (fields: Html, label: string) =>
    html`<form method="post" action="${base}/hang-doi/gui-lai" class="inline">${fields}<button type="submit">${vi(label)}</button></form>`;
  const deadRows = dead.map(
    (d) => html`<tr data-delivery="${d.id}">${td(null, html`<a href="${base}/ho-so?ma=${encodeURIComponent(d.code)}">${d.code}</a>`, 'lead')}${td('Nguồn', named(config.sources, d.sourceId))}${td('Đích', named(config.targets, d.targetId))}
      ${td('Số lần thử', formatNumber(d.attempts), 'num')}${td('Lỗi cuối', shown(d.lastError))}${td('Cập nhật', formatInstant(d.updatedAt))}${canResend ? td(null, resendForm(html`<input type="hidden" name="id" value="${d.id}">`, 'Gửi lại')) : ''}</tr>`,
  );
  const deadTargets = [...new Set(outbox.filter((t) => (t.counts['dead'] ?? 0) > 0).map((t) => t.targetId))];
  const resendAll = canResend
    ? deadTargets.map((t) => resendForm(html`<input type="hidden" name="target" value="${t}">`, `Gửi lại mọi hồ sơ gửi không thành công tới ${named(config.targets, t)}`))
    : [];

  return html`${resendNotice(result)}<div class="cards" id="the-so">
  ${card('Hồ sơ trong sổ', totals[0]?.n ?? 0)}${card('Chờ đồng bộ', pending)}${card('Gửi không thành công', deadCount, true)}${card('Đang cách ly', quarantined, true)}
</div>
<p class="muted">${vi('Lần chạy gần nhất')}: ${latest ? html`${formatInstant(latest.startedAt)} · ${vi(RUN_STATUS[latest.status] ?? latest.status)}` : vi('chưa có')}</p>
<section id="nguon"><h2>${vi('Nguồn dữ liệu')}</h2><table class="stack">
  <thead><tr><th>${vi('Nguồn')}</th><th>${vi('Bộ chuyển đổi')}</th><th>${vi('Lần chạy gần nhất')}</th><th>${vi('Kết quả')}</th>
  <th class="num">${vi('Đã lấy')}</th><th class="num">${vi('Mới')}</th><th class="num">${vi('Thay đổi')}</th><th class="num">${vi('Cách ly (lần chạy)')}</th><th class="num">${vi('Cách ly đang mở')}</th></tr></thead>
  <tbody>${sourceRows}</tbody></table></section>
<section id="hang-doi"><h2>${vi('Hàng đợi gửi lên Cổng')}</h2><table class="stack">
  <thead><tr><th>${vi('Đích')}</th>${OUTBOX_COLUMNS.map(([, l]) => html`<th class="num">${vi(l)}</th>`)}<th class="num">${vi('Khác')}</th></tr></thead>
  <tbody>${outboxRows}</tbody></table></section>
<section id="loi-gui"><h2>${vi('Gửi không thành công, cần xử lý')}</h2>
  ${dead.length ? html`${canResend ? html`<p class="muted">${vi('Sửa nguyên nhân trước (mật khẩu, địa chỉ Cổng, trường bị từ chối), rồi gửi lại.')}</p><p class="actions">${resendAll}</p>` : ''}<table class="stack"><thead><tr><th>${vi('Mã hồ sơ')}</th><th>${vi('Nguồn')}</th><th>${vi('Đích')}</th><th class="num">${vi('Số lần thử')}</th><th>${vi('Lỗi cuối')}</th><th>${vi('Cập nhật')}</th>${canResend ? html`<th></th>` : ''}</tr></thead><tbody>${deadRows}</tbody></table>` : html`<p class="ok">${vi('Không có hồ sơ gửi không thành công.')}</p>`}
</section>
${evidence}`;
}
