/**
 * A self-contained HTML page (no external assets: inline CSS, no scripts, no fonts or images),
 * in Vietnamese, printable on A4 landscape.
 */
import { chartSvg } from './svg-chart.ts';
import { cellText, type ReportTable } from './table.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

const STYLE = `body{font-family:"Times New Roman",Times,serif;margin:1.5em;color:#111}
h1{font-size:1.3em;text-align:center;text-transform:uppercase}h2{font-size:1.1em}p.meta{text-align:center;margin:.2em}
table{border-collapse:collapse;margin:1em auto;font-size:.9em}th,td{border:1px solid #555;padding:.25em .45em}
th{background:#e8eef7}td.n{text-align:right;white-space:nowrap}tr.total td{font-weight:700}
td.hl{background:#fde2e1;font-weight:700;color:#9b1c1c}p.legend span{background:#fde2e1;padding:0 .4em}
ul.notes{font-size:.85em}div.wide{overflow-x:auto;max-width:100%}
section.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,340px),1fr));gap:1em;margin:1em 0}section.charts figure{margin:0;min-width:0}
section.charts figcaption{font-weight:700;margin-bottom:.3em}
@media (max-width:640px){body{margin:.6em}}@media print{@page{size:A4 landscape}body{margin:0}section.charts{break-inside:avoid}}`;

function table(t: ReportTable): string {
  const head = t.header.map((cells) => `<tr>${cells.map((c) => `<th${c.colSpan && c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}${c.rowSpan && c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}>${esc(c.label)}</th>`).join('')}</tr>`);
  const body = t.rows.map((r) => {
    const tds = r.cells.map((v, i) => {
      const kind = t.columns[i]?.kind ?? 'text';
      const cls = [kind === 'text' ? '' : 'n', r.highlight?.includes(i) ? 'hl' : ''].filter(Boolean).join(' ');
      return `<td${cls ? ` class="${cls}"` : ''}>${esc(cellText(kind, v))}</td>`;
    });
    return `<tr${r.total ? ' class="total"' : ''}>${tds.join('')}</tr>`;
  });
  const legend = t.legend && t.rows.some((r) => r.highlight?.length) ? `<p class="legend"><span>&nbsp;</span> ${esc(t.legend)}</p>` : '';
  const notes = t.notes.length ? `<ul class="notes">${t.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const charts = t.charts?.length ? `<section class="charts">${t.charts.map((c) => `<figure>${`<figcaption>${esc(c.title)}</figcaption>`}${chartSvg(c)}</figure>`).join('\n')}</section>\n` : '';
  return `<h1>${esc(t.title)}</h1>\n${t.meta.map((m) => `<p class="meta">${esc(m)}</p>`).join('\n')}
<div class="wide"><table><thead>${head.join('')}</thead><tbody>
${body.join('\n')}
</tbody></table></div>
${legend}${charts}${notes}`;
}

/** @example await writeFile('bieu06.html', toHtml([bieu06Table(report, options)])) */
export function toHtml(tables: ReportTable[]): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(tables[0]?.title ?? 'Báo cáo')}</title><style>${STYLE}</style></head><body>
${tables.map(table).join('\n<hr>\n')}
</body></html>
`;
}
