/**
 * Reports for people, in Vietnamese: a per-unit table with the four columns (nguồn, cổng kết nối,
 * đã xác nhận, Cổng DVCQG) and the difference highlighted, then the list of differing dossiers
 * with their reasons. CSV (UTF-8 with BOM, for Excel), XLSX (exceljs) and HTML.
 */
import ExcelJS from 'exceljs';
import { cleanMessage } from '../privacy.ts';
import { csvRecord, xlsxValue } from '../reports/formats/cell-guard.ts';
import { formatDateVi, formatWhen } from '../reports/formats/vi-number.ts';
import { BUCKET_LABELS_VI } from './buckets.ts';
import { REASON_LABELS_VI, type CountRow, type Difference, type ReconcileReport } from './types.ts';

const COUNT_HEAD = ['Đơn vị', 'Chỉ tiêu', 'Hệ thống một cửa', 'Cổng kết nối (sổ cái)', 'Đã đồng bộ (Cổng xác nhận)', 'Cổng DVCQG', 'Chênh lệch'];
const DIFF_HEAD = ['Mã hồ sơ', 'Đơn vị', 'Lý do', 'Mã lý do', 'Chi tiết'];

const cell = (v: number | null) => (v === null ? '—' : String(v));
const gap = (r: CountRow) => {
  const xs = [r.source, r.ledger, r.delivered, r.portal].filter((x): x is number => x !== null);
  return r.differs ? String(Math.max(...xs) - Math.min(...xs)) : '';
};
const countCells = (r: CountRow) => [r.unitCode, BUCKET_LABELS_VI[r.bucket], cell(r.source), cell(r.ledger), cell(r.delivered), cell(r.portal), gap(r)];

/** One line of detail a person can read: fields that differ, the portal's last answer, the issues. */
export function describeDetail(d: Difference): string {
  const x = d.detail;
  const fields = x['fields'] as Array<{ field: string; ledger: string; portal: string }> | undefined;
  const unverifiable = x['unverifiable'] as string[] | undefined;
  const notCarried = unverifiable?.length ? `Cổng không trả về (không đối chiếu được): ${unverifiable.join(', ')}` : '';
  if (fields?.length) return [...fields.map((f) => `${f.field}: sổ cái "${f.ledger}" ≠ Cổng "${f.portal}"`), ...(notCarried ? [notCarried] : [])].join('; ');
  if (d.reason === 'portal_unverifiable') return [notCarried, x['note'] ? cleanMessage(String(x['note'])) : ''].filter(Boolean).join('; ');
  const issues = x['issues'] as Array<{ path: string; message: string }> | undefined;
  if (issues?.length) return issues.map((i) => `${i.path || '(bản ghi)'}: ${i.message}`).join('; ');
  if (d.reason === 'not_delivered') return `trạng thái ${String(x['status'])}, ${String(x['attempts'])} lần thử${x['lastError'] ? `, lỗi cuối: ${cleanMessage(String(x['lastError']))}` : ''}`;
  if (d.reason === 'duplicate_code') return `có ở: ${(x['sources'] as string[]).join(', ')}`;
  if (d.reason === 'missing_in_ledger') return x['newerVersion'] ? 'hệ thống một cửa có phiên bản mới hơn' : 'chưa từng được lấy về';
  if (d.reason === 'missing_on_portal') return `Cổng đã xác nhận lúc ${x['deliveredAt'] ? formatWhen(x['deliveredAt']) : '?'} nhưng tra cứu không thấy`;
  if (d.reason === 'deleted_at_source') return x['deliveredToPortal'] ? 'đã xoá ở nguồn; Cổng vẫn giữ bản đã đồng bộ' : 'đã xoá ở nguồn';
  return '';
}

/**
 * What could not be compared, for the headline: sources that cannot be listed, and the portal when
 * neither published figures nor look-ups were used. Never to be read as agreement.
 */
export function notComparedOf(r: ReconcileReport): string[] {
  const out = r.stats.sources.filter((s) => s.compared === false).map((s) => `source ${s.id} (cannot be listed)`);
  if (!r.stats.portal.published && r.stats.portal.lookups === 0) out.push('the portal (no published figures, no look-ups)');
  const unverifiable = r.differences.filter((d) => d.reason === 'portal_unverifiable').length;
  if (unverifiable) out.push(`${unverifiable} dossiers on the portal (its answer lacked fields or could not be read: portal_unverifiable)`);
  return out;
}

const diffCells = (d: Difference) => [d.code, d.unitCode ?? '', REASON_LABELS_VI[d.reason], d.reason, describeDetail(d)];

/** Every cell through the CSV-injection guard (see reports/formats/cell-guard.ts). */
const csvLine = csvRecord;

/**
 * @example writeFileSync('doi-soat.csv', toCsv(report))
 */
export function toCsv(r: ReconcileReport): string {
  const lines = [
    csvLine([`Đối soát ${r.scope.target}`, `${r.scope.from} → ${r.scope.to}`, r.scope.unit ?? 'mọi đơn vị', r.id]),
    csvLine(COUNT_HEAD),
    ...r.counts.map((c) => csvLine(countCells(c))),
    '',
    csvLine(DIFF_HEAD),
    ...r.differences.map((d) => csvLine(diffCells(d))),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

function notComparedVi(r: ReconcileReport): string {
  const out = r.stats.sources.filter((s) => s.compared === false).map((s) => `nguồn ${s.id} (không liệt kê được hồ sơ)`);
  if (!r.stats.portal.published && r.stats.portal.lookups === 0) out.push('Cổng DVCQG (chưa có số liệu công bố, chưa tra cứu)');
  const unverifiable = r.differences.filter((d) => d.reason === 'portal_unverifiable').length;
  if (unverifiable) out.push(`${unverifiable} hồ sơ trên Cổng (câu trả lời thiếu trường hoặc không đọc được)`);
  return out.join('; ');
}

/** Links to the evidence bundles of `reconcile --evidence DIR` (src/reconcile/evidence.ts). */
function evidenceLinks(r: ReconcileReport): string {
  const linked = r.differences.filter((d) => typeof d.detail['evidence'] === 'string');
  if (!linked.length) return '';
  const items = linked.map((d) => `<li><a href="${esc(encodeURI(String(d.detail['evidence'])))}">${esc(d.code)}</a> (${esc(REASON_LABELS_VI[d.reason])})</li>`);
  return `<h2>Bằng chứng đã gửi (gửi kèm công văn cho đơn vị vận hành Cổng; có dữ liệu công dân)</h2><ul>${items.join('')}</ul>`;
}

export function toHtml(r: ReconcileReport): string {
  const head = (cells: string[]) => `<tr>${cells.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const row = (cells: string[], cls = '') => `<tr${cls ? ` class="${cls}"` : ''}>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Đối soát ${esc(r.scope.target)} ${esc(r.scope.from)} – ${esc(r.scope.to)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.25em .5em}
td:nth-child(n+3){text-align:right}.differs td{background:#fde2e1;font-weight:600}table.ds td{text-align:left}</style></head><body>
<h1>Đối soát số liệu hồ sơ: ${esc(r.scope.target)}</h1>
<p>Kỳ: ${esc(formatDateVi(r.scope.from))} → ${esc(formatDateVi(r.scope.to))}${r.scope.unit ? ` · Đơn vị: ${esc(r.scope.unit)}` : ''}${r.scope.source ? ` · Nguồn: ${esc(r.scope.source)}` : ''} · Lập lúc ${esc(formatWhen(r.createdAt))} (giờ Việt Nam)${r.createdBy ? ` bởi ${esc(r.createdBy)}` : ''} · Mã: ${esc(r.id)}</p>
<p>${r.differences.length === 0 && !r.counts.some((c) => c.differs) ? (notComparedVi(r) ? `Số liệu khớp ở những phần so sánh được; <b>chưa so sánh được</b>: ${esc(notComparedVi(r))}.` : 'Số liệu các bên khớp nhau.') : `Có ${r.differences.length} hồ sơ chênh lệch và ${r.counts.filter((c) => c.differs).length} dòng số liệu lệch (tô đỏ).${notComparedVi(r) ? ` Chưa so sánh được: ${esc(notComparedVi(r))}.` : ''}`}</p>
<h2>Số liệu theo đơn vị</h2>
<table>${head(COUNT_HEAD)}${r.counts.map((c) => row(countCells(c), c.differs ? 'differs' : '')).join('')}</table>
<h2>Danh sách hồ sơ chênh lệch</h2>
<table class="ds">${head(DIFF_HEAD)}${r.differences.map((d) => row(diffCells(d))).join('')}</table>
${evidenceLinks(r)}
${r.notes.length ? `<h2>Ghi chú</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

export async function toXlsx(r: ReconcileReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'lienthong';
  const counts = wb.addWorksheet('Số liệu');
  counts.addRow([xlsxValue(`Đối soát ${r.scope.target}: ${r.scope.from} → ${r.scope.to}${r.scope.unit ? ` · ${r.scope.unit}` : ''}`)]);
  counts.addRow(COUNT_HEAD).font = { bold: true };
  for (const c of r.counts) {
    const added = counts.addRow([xlsxValue(c.unitCode), BUCKET_LABELS_VI[c.bucket], c.source, c.ledger, c.delivered, c.portal, c.differs ? Number(gap(c)) : null]);
    if (c.differs) added.eachCell((x) => (x.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } }));
  }
  counts.columns.forEach((col, i) => (col.width = i < 2 ? 32 : 16));
  const diffs = wb.addWorksheet('Hồ sơ chênh lệch');
  diffs.addRow(DIFF_HEAD).font = { bold: true };
  for (const d of r.differences) diffs.addRow(diffCells(d).map(xlsxValue));
  diffs.columns.forEach((col, i) => (col.width = i === 4 ? 80 : 28));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
