/**
 * XLSX (exceljs): title and context lines, the header with merged cells, numbers stored as numbers
 * with formats that Excel shows the Vietnamese way under a Vietnamese locale (#,##0 → 136.583;
 * percentages stored as percentage points with `0.00 "%"` → 97,51 %), highlighted cells filled.
 */
import ExcelJS from 'exceljs';
import { xlsxValue } from './cell-guard.ts';
import { placeHeader, type CellKind, type ReportTable } from './table.ts';

const HIGHLIGHT = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } } as const;
const HEAD_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } } as const;
const BORDER = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;

const NUM_FMT: Record<CellKind, string | undefined> = { text: undefined, count: '#,##0', percent: '0.00" %"', score: '0.00', date: 'dd/mm/yyyy' };

function dateValue(v: string): Date {
  return new Date(`${v}T00:00:00.000Z`);
}

/** Adds one table as a worksheet. */
export function addSheet(wb: ExcelJS.Workbook, t: ReportTable): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(t.sheet.slice(0, 31));
  const width = t.columns.length;
  const title = ws.addRow([xlsxValue(t.title)]);
  title.font = { bold: true, size: 13 };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.mergeCells(1, 1, 1, width);
  for (const m of t.meta) ws.addRow([xlsxValue(m)]);
  ws.addRow([]);
  const top = ws.rowCount + 1;
  for (let r = 0; r < t.header.length; r++) ws.addRow([]);
  for (const h of placeHeader(t.header)) {
    const cell = ws.getCell(top + h.row, h.col + 1);
    cell.value = xlsxValue(h.label);
    if (h.rowSpan > 1 || h.colSpan > 1) ws.mergeCells(top + h.row, h.col + 1, top + h.row + h.rowSpan - 1, h.col + h.colSpan);
  }
  for (let r = top; r < top + t.header.length; r++) {
    for (let c = 1; c <= width; c++) {
      const cell = ws.getCell(r, c);
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = HEAD_FILL;
      cell.border = BORDER;
    }
  }
  for (const row of t.rows) {
    const added = ws.addRow(row.cells.map((v, i) => (v !== null && t.columns[i]?.kind === 'date' && typeof v === 'string' ? dateValue(v) : xlsxValue(v))));
    added.eachCell({ includeEmpty: true }, (cell, col) => {
      const fmt = NUM_FMT[t.columns[col - 1]?.kind ?? 'text'];
      if (fmt) cell.numFmt = fmt;
      cell.border = BORDER;
      if (row.total) cell.font = { bold: true };
      if (row.highlight?.includes(col - 1)) cell.fill = HIGHLIGHT;
    });
  }
  if (t.legend && t.rows.some((r) => r.highlight?.length)) ws.addRow([xlsxValue(t.legend)]).getCell(1).fill = HIGHLIGHT;
  if (t.notes.length) ws.addRow([]);
  for (const n of t.notes) ws.addRow([xlsxValue(n)]);
  t.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width ?? (c.kind === 'text' ? 28 : 12)));
  ws.views = [{ state: 'frozen', ySplit: top + t.header.length - 1, xSplit: 0 }];
  // Printed as officials file it: A4 landscape, every column on one page wide (as many pages tall as the
  // rows need), the header rows repeated on each page, centred on the sheet.
  ws.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    printTitlesRow: `${top}:${top + t.header.length - 1}`,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  return ws;
}

/** @example await writeFile('bieu06.xlsx', await toXlsx([bieu06Table(report, options)])) */
export async function toXlsx(tables: ReportTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'lienthong';
  for (const t of tables) addSheet(wb, t);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
