/**
 * "Bằng chứng trao đổi" on Tổng quan: the result of the last `ledger verify` per target — status
 * only. The evidence itself (request bodies, bundles) holds citizen data and is never shown here.
 */
import { html } from 'hono/html';
import { evidenceStatus } from '../../evidence/status.ts';
import type { Ledger } from '../../ledger/db.ts';
import { formatInstant, formatNumber } from '../format.ts';
import { vi, type Html } from '../layout.ts';

const PLACE: Record<string, string> = {
  missing: 'thiếu biên nhận (bị xoá)',
  link: 'chuỗi liên kết bị đứt (xoá, chèn hoặc đổi thứ tự)',
  content: 'nội dung biên nhận bị sửa',
  body: 'nội dung yêu cầu đã gửi bị sửa',
  answer: 'câu trả lời của Cổng đã lưu bị sửa',
  checkpoint: 'khác với mốc đã ký',
  signature: 'chữ ký không hợp lệ',
  head: 'đầu chuỗi không khớp',
};

export async function evidenceSection(ledger: Ledger): Promise<Html> {
  const s = await evidenceStatus(ledger);
  const rows = s.targets.map(
    (t) => html`<tr data-evidence-target="${t.target}"><td>${t.target}</td><td class="${t.ok ? 'ok' : 'bad'}">${t.ok ? vi('Toàn vẹn') : vi(`Không toàn vẹn từ biên nhận số ${t.problem?.seq ?? '?'}: ${PLACE[t.problem?.place ?? ''] ?? t.problem?.place ?? ''}`)}</td>
      <td class="num">${formatNumber(t.receipts)}</td><td class="num">${formatNumber(t.unsignedTail)}</td></tr>`,
  );
  return html`<section id="bang-chung"><h2>${vi('Bằng chứng trao đổi với Cổng')}</h2>
  ${s.verifiedAt === null
    ? html`<p class="muted">${vi('Chưa kiểm tra lần nào (lienthong ledger verify).')}</p>`
    : html`<p class="muted">${vi('Kiểm tra gần nhất')}: ${formatInstant(s.verifiedAt)}</p><table class="stack"><thead><tr><th>${vi('Đích')}</th><th>${vi('Kết quả')}</th><th class="num">${vi('Biên nhận')}</th><th class="num">${vi('Chưa ký')}</th></tr></thead><tbody>${rows}</tbody></table>`}
</section>`;
}
