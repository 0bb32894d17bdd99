/**
 * CSV for people (UTF-8 with BOM and CRLF, as Excel opens it): the context lines, the header grid
 * flattened (merged cells repeated blank), the rows with Vietnamese number formats, and the notes.
 */
import { csvRecord } from './cell-guard.ts';
import { cellText, placeHeader, type ReportTable } from './table.ts';

/** Every cell through the CSV-injection guard (see cell-guard.ts). */
const line = csvRecord;

/** @example writeFileSync('bieu06.csv', toCsv(bieu06Table(report, options))) */
export function toCsv(t: ReportTable): string {
  const width = t.columns.length;
  const grid = t.header.map(() => Array.from({ length: width }, () => ''));
  for (const h of placeHeader(t.header)) (grid[h.row] as string[])[h.col] = h.label;
  const lines = [
    line([t.title]),
    ...t.meta.map((m) => line([m])),
    '',
    ...grid.map(line),
    ...t.rows.map((r) => line(r.cells.map((v, i) => cellText(t.columns[i]?.kind ?? 'text', v)))),
  ];
  if (t.notes.length) lines.push('', ...t.notes.map((n) => line([n])));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
