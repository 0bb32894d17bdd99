/**
 * Cách ly: open quarantine entries with every issue, and a replay button for operators.
 */
import { html } from 'hono/html';
import { formatInstant, formatNumber } from '../format.ts';
import { named, notice, td, vi, type Html } from '../layout.ts';
import { issueTextVi } from '../issue-text.ts';
import { maskText } from '../../privacy.ts';
import { listOpenQuarantine } from '../queries.ts';
import { hasRole } from '../auth.ts';
import type { DashboardDeps, DashboardUser } from '../types.ts';

/** The outcome of a replay, carried by the redirect as codes (never as free text). */
export interface ReplayNotice {
  result?: string | undefined;
  code?: string | undefined;
  id?: string | undefined;
}

function replayNotice(n: ReplayNotice): Html | string {
  if (n.result === 'stored') return notice('ok', `Đã kiểm tra lại và lưu hồ sơ ${n.code ?? ''} vào sổ; hồ sơ sẽ được gửi lên Cổng ở lần đồng bộ tới.`);
  if (n.result === 'invalid') return notice('bad', `Bản ghi #${n.id ?? ''} vẫn không hợp lệ; các lỗi bên dưới đã được cập nhật.`);
  if (n.result === 'gone') return notice('info', `Bản ghi #${n.id ?? ''} không còn trong danh sách cách ly.`);
  if (n.result === 'error') return notice('bad', `Không kiểm tra lại được bản ghi #${n.id ?? ''}: nguồn hoặc bộ chuyển đổi không còn được cấu hình.`);
  return '';
}

export async function quarantinePage(deps: DashboardDeps, user: DashboardUser, base: string, n: ReplayNotice): Promise<Html> {
  const entries = await listOpenQuarantine(deps.ledger);
  const canReplay = hasRole(user, 'operator');
  const text = (s: string) => (user.role === 'viewer' ? maskText(s) : s);
  const rows = entries.map(
    (e) => html`<tr id="cach-ly-${e.id}" data-key="${e.recordKey}">${td(null, html`#${e.id} · ${text(e.recordKey)}`, 'lead')}${td('Nguồn', named(deps.config.sources, e.sourceId))}
      ${td('Vị trí', e.location ? text(e.location) : '—')}
      ${td('Lỗi', html`<ul class="issues">${e.issues.map((i) => html`<li><code>${i.path || vi('(toàn bản ghi)')}</code>: ${text(vi(issueTextVi(i.message)))}</li>`)}</ul>`)}
      ${td('Số lần gặp', formatNumber(e.seenCount), 'num')}${td('Gặp gần nhất', formatInstant(e.lastSeenAt))}
      ${canReplay ? td(null, html`<form class="inline" method="post" action="${base}/cach-ly/${e.id}/kiem-tra-lai"><button type="submit">${vi('Kiểm tra lại')}</button></form>`) : ''}</tr>`,
  );
  return html`${replayNotice(n)}
<p class="muted">${vi('Bản ghi không hợp lệ được giữ lại ở đây cho đến khi có phiên bản hợp lệ. "Kiểm tra lại" đối chiếu bản ghi gốc đã lưu với bộ chuyển đổi hiện tại (sau khi sửa ánh xạ hoặc bảng mã).')}</p>
<section id="danh-sach-cach-ly">${
    entries.length
      ? html`<table class="stack"><thead><tr><th>${vi('# · Mã hồ sơ')}</th><th>${vi('Nguồn')}</th><th>${vi('Vị trí')}</th><th>${vi('Lỗi')}</th><th class="num">${vi('Số lần gặp')}</th><th>${vi('Gặp gần nhất')}</th>${canReplay ? html`<th></th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`
      : html`<p class="ok">${vi('Không có bản ghi nào đang bị cách ly.')}</p>`
  }</section>`;
}
