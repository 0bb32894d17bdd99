/**
 * Tra cứu hồ sơ: one MaHoSo, every stored version (one per source) with its deliveries and the
 * latest exchanges with the portal. Viewers see citizen ID numbers, phones and e-mails masked;
 * the raw record is never shown here.
 */
import { html } from 'hono/html';
import { STATUS_LABELS_VI, type Dossier, type StatusCode } from '../../../schemas/dossier.ts';
import { getDossierDetail, type DossierDetail } from '../../ledger/queries.ts';
import { localDateOf } from '../../rules/index.ts';
import type { UnitRegistry } from '../../units/registry.ts';
import { formatInstant, formatNumber } from '../format.ts';
import { named, td, vi, type Html } from '../layout.ts';
import { maskCitizenData, maskText } from '../../privacy.ts';
import type { DashboardDeps, DashboardUser } from '../types.ts';

const CHANNELS: Record<string, string> = { counter: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính' };
const DELIVERY_STATUS: Record<string, string> = { pending: 'Chờ gửi', delivered: 'Đã gửi', dead: 'Gửi không thành công, cần xử lý' };
const OUTCOMES: Record<string, string> = { ok: 'Thành công', exists: 'Đã tồn tại', rejected: 'Bị từ chối', http_error: 'Lỗi HTTP', network_error: 'Lỗi mạng', schema_error: 'Trả lời sai định dạng' };

const dash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

/**
 * The unit by name with its code beside: the registry's name (`reports.units`) of the code on the
 * day of receipt when there is one, else the name the dossier carries.
 */
function unitShown(d: Dossier, registry: UnitRegistry | null): string {
  const code = d.unit.code;
  if (code === null) return `${vi(d.unit.name)} (${vi('không rõ mã')})`;
  const at = d.dates.receivedAt ?? d.dates.submittedAt;
  const name = registry ? ((at ? registry.at(code, localDateOf(at)) : null) ?? registry.latest(code))?.name : undefined;
  return `${vi(name ?? d.unit.name)} (${code})`;
}

function dossierFacts(d: Dossier, registry: UnitRegistry | null): Html {
  const row = (label: string, value: Html | string) => html`<dt>${vi(label)}</dt><dd>${value}</dd>`;
  return html`<dl>
    ${row('Mã hồ sơ', d.code)}${row('Số biên nhận', dash(d.receiptNumber))}
    ${row('Thủ tục', `${d.procedure.code} · ${vi(d.procedure.name)}`)}${row('Lĩnh vực', dash(d.procedure.fieldName))}
    ${row('Đơn vị xử lý', unitShown(d, registry))}
    ${row('Trạng thái', vi(STATUS_LABELS_VI[d.status.code as StatusCode] ?? String(d.status.code)))}
    ${row('Kênh thực hiện', d.channel ? vi(CHANNELS[d.channel] ?? d.channel) : '—')}
    ${row('Ngày tiếp nhận', formatInstant(d.dates.receivedAt))}${row('Ngày hẹn trả', formatInstant(d.dates.dueAt))}
    ${row('Ngày kết thúc xử lý', formatInstant(d.dates.finishedAt))}${row('Ngày trả kết quả', formatInstant(d.dates.returnedAt))}
    ${row('Chủ hồ sơ', dash(d.applicant.name))}
    ${row('Số giấy tờ', html`<span data-field="idNumber">${dash(d.applicant.idNumber)}</span>`)}
    ${row('Số điện thoại', html`<span data-field="phone">${dash(d.applicant.phone)}</span>`)}
    ${row('Thư điện tử', html`<span data-field="email">${dash(d.applicant.email)}</span>`)}
    ${row('Trích yếu', vi(d.summary))}
  </dl>`;
}

function detailSection(deps: DashboardDeps, detail: DossierDetail, user: DashboardUser, registry: UnitRegistry | null): Html {
  const targets = deps.config.targets;
  const canonical = detail.canonical as Dossier;
  const shown = user.role === 'viewer' ? maskCitizenData(canonical) : canonical;
  const text = (v: unknown) => (v === null || v === undefined ? '—' : user.role === 'viewer' ? maskText(String(v)) : String(v));
  const deliveries = detail.deliveries.map(
    (q) => html`<tr>${td(null, named(targets, String(q['target_id'])), 'lead')}${td('Trạng thái', vi(DELIVERY_STATUS[String(q['status'])] ?? String(q['status'])))}
      ${td('Phiên bản đã gửi', `${q['delivered_version'] === null ? '—' : String(q['delivered_version'])} / ${String(q['version'])}`, 'num')}
      ${td('Số lần thử', formatNumber(Number(q['attempts'])), 'num')}${td('Lỗi cuối', text(q['last_error']))}${td('Gửi lúc', formatInstant(q['delivered_at']))}</tr>`,
  );
  const receipts = detail.receipts.slice(0, 10).map(
    (r) => html`<tr>${td(null, formatInstant(r['created_at']), 'lead')}${td('Đích', named(targets, String(r['target_id'])))}${td('Dịch vụ', String(r['service']))}
      ${td('Kết quả', vi(OUTCOMES[String(r['outcome'])] ?? String(r['outcome'])))}${td('HTTP', r['http_status'] === null ? '—' : String(r['http_status']), 'num')}
      ${td('Mã lỗi', text(r['error_code']))}${td('Thông điệp', text(r['message']))}${td('Thời gian (ms)', formatNumber(Number(r['duration_ms'])), 'num')}</tr>`,
  );
  return html`<section class="ho-so" data-code="${detail.code}" data-source="${detail.sourceId}">
  <h2>${vi('Nguồn')} ${named(deps.config.sources, detail.sourceId)} · ${vi('phiên bản')} ${detail.version} · ${vi('cập nhật')} ${formatInstant(detail.updatedAt)}</h2>
  ${dossierFacts(shown, registry)}
  <h2>${vi('Đồng bộ lên Cổng')}</h2>
  ${deliveries.length ? html`<table class="stack"><thead><tr><th>${vi('Đích')}</th><th>${vi('Trạng thái')}</th><th class="num">${vi('Phiên bản đã gửi')}</th><th class="num">${vi('Số lần thử')}</th><th>${vi('Lỗi cuối')}</th><th>${vi('Gửi lúc')}</th></tr></thead><tbody>${deliveries}</tbody></table>` : html`<p class="muted">${vi('Chưa có lượt gửi nào.')}</p>`}
  <h2>${vi('Trao đổi gần nhất với Cổng')}</h2>
  ${receipts.length ? html`<table class="stack"><thead><tr><th>${vi('Thời điểm')}</th><th>${vi('Đích')}</th><th>${vi('Dịch vụ')}</th><th>${vi('Kết quả')}</th><th class="num">HTTP</th><th>${vi('Mã lỗi')}</th><th>${vi('Thông điệp')}</th><th class="num">ms</th></tr></thead><tbody>${receipts}</tbody></table>` : html`<p class="muted">${vi('Chưa có trao đổi nào.')}</p>`}
</section>`;
}

export async function dossierPage(deps: DashboardDeps, user: DashboardUser, code: string | undefined): Promise<Html> {
  const wanted = code?.trim().normalize('NFC') ?? '';
  const form = html`<form method="get" role="search"><label>${vi('Mã hồ sơ')} <input name="ma" value="${wanted}" required placeholder="000.20.48.H48-261001-0001"></label>
  <button type="submit">${vi('Tra cứu')}</button></form>`;
  if (!wanted) return form;
  const details = await getDossierDetail(deps.ledger, wanted, 10);
  if (details.length === 0) return html`${form}<p class="notice info" role="status">${vi(`Không tìm thấy hồ sơ có mã "${wanted}".`)}</p>`;
  const registry = (await deps.unitRegistry?.()) ?? null;
  return html`${form}${details.map((d) => detailSection(deps, d, user, registry))}`;
}
