/**
 * `lienthong report` in every format, in-process, on PGlite or on PostgreSQL (DATABASE_URL).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, openCliWorkspace, syncGeneratedExports, type CliWorkspace } from '../support/cli.ts';

let dir: string;
let config: string;
let close: CliWorkspace['close'];
const CATALOG = new URL('../../src/rules/data/procedures.sample.json', import.meta.url).pathname;


beforeAll(async () => {
  ({ dir, close } = await openCliWorkspace('lt-report-cli-', { env: { LIENTHONG_NOW: '2026-11-23T05:00:00.000Z' } }));
  let sync: Awaited<ReturnType<typeof cli>>;
  ({ config, sync } = await syncGeneratedExports(dir, { count: 1500, seed: 3, extra: { reports: { lateThreshold: 1 } } }));
  expect(sync.code).toBe(0);
});
afterAll(() => close());

const isRate = (x: unknown) => x === null || (typeof x === 'number' && Math.round(x * 100) === x * 100);

describe('lienthong report', () => {
  it('prints the Biểu 06 JSON with integer counts and two-decimal rates', async () => {
    const { code, out, err } = await cli('report', '--config', config, '--month', '2026-10', '--calendar', 'admin', '--format', 'json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.period).toEqual({ from: '2026-09-15', to: '2026-10-14' });
    expect(j.rows).toHaveLength(4);
    for (const r of [...j.rows, j.totals]) {
      for (const v of [...Object.values(r.received), ...Object.values(r.resolved), ...Object.values(r.inProgress)]) expect(Number.isInteger(v)).toBe(true);
      for (const v of Object.values(r.rates)) expect(isRate(v)).toBe(true);
      expect(r.received.total).toBe(r.resolved.total + r.inProgress.total);
    }
    expect(Object.keys(j.rows[0])).toEqual(['unitCode', 'unitName', 'received', 'resolved', 'inProgress', 'rates']);
    expect(j.totals.received.total).toBeGreaterThan(1000);
  });

  it('checks the carried-over figures against the previous period as published (--previous)', async () => {
    const sep = await cli('report', '--config', config, '--from', '2026-09-01', '--to', '2026-09-30', '--format', 'json');
    expect(sep.code).toBe(0);
    const published = JSON.parse(sep.out);
    const file = join(dir, 'bieu06-2026-09.json');
    await writeFile(file, JSON.stringify(published));
    const oct = ['report', '--config', config, '--from', '2026-10-01', '--to', '2026-10-31', '--format', 'json', '--previous', file];
    const agreed = await cli(...oct);
    expect(agreed.code).toBe(0);
    expect(JSON.parse(agreed.out).warnings).toStrictEqual([]);

    // The published figure of one unit says one more dossier was in progress than the ledger shows.
    const row = published.rows[1];
    row.inProgress.total += 1;
    await writeFile(file, JSON.stringify(published));
    const differs = await cli(...oct);
    expect(differs.code).toBe(2);
    const warnings = JSON.parse(differs.out).warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'carry_over_mismatch_published', key: row.unitCode, message: expect.stringContaining(`đang giải quyết ${row.inProgress.total} (2026-09-30)`) });
    // No dossier disagrees with itself: the unit's carried-over dossiers are listed for a person to compare.
    const carried = JSON.parse(agreed.out).rows.find((r: { unitCode: string }) => r.unitCode === row.unitCode).received.carriedOver;
    expect(warnings[0].dossierCodes.length).toBe(Math.min(carried, 100));

    const wrong = await cli('report', '--config', config, '--from', '2026-11-01', '--to', '2026-11-20', '--previous', file);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/bieu06-2026-09\.json is not the report of the previous period.*period\.to: ends 2026-09-30/s);
    expect((await cli('report', 'indicators', '--config', config, '--month', '2026-10', '--previous', file)).code).toBe(1);
  });

  it('prints terminal reports with named columns and says where --out wrote the file', async () => {
    const { code, out } = await cli('report', '--config', config, '--month', '2026-10');
    expect(code).toBe(0);
    const lines = out.split('\n');
    // Biểu 06 has a three-row header: the columns are numbered and a legend names each one.
    const legendAt = lines.indexOf('Cột:');
    expect(legendAt).toBeGreaterThan(0);
    expect(lines[legendAt + 1]).toBe('  (1) STT');
    expect(lines[legendAt + 2]).toBe('  (2) Đơn vị');
    expect(lines.slice(legendAt).some((l) => /^ {2}\(4\) Số hồ sơ nhận giải quyết › .+ › Trực tuyến$/.test(l))).toBe(true);
    expect(lines.find((l) => l.includes('(1)') && l.includes('(15)'))).toBeDefined();
    const ind = await cli('report', 'indicators', '--config', config, '--month', '2026-10');
    expect(ind.out).toMatch(/^ {2}\(3\) 2\.1\. Hồ sơ xử lý trước hạn, đúng hạn \(tối đa 20 điểm\) › /m);
    const file = join(dir, 'b06-out.csv');
    const written = await cli('report', '--config', config, '--month', '2026-10', '--format', 'csv', '--out', file);
    expect(written.out.trim()).toBe(`wrote ${file} (csv)`);
  });

  it('writes CSV in Vietnamese with Vietnamese numbers', async () => {
    const { code, out } = await cli('report', '--config', config, '--from', '2026-09-01', '--to', '2026-10-31', '--by', 'field', '--format', 'csv');
    expect(code).toBe(0);
    expect(out.startsWith('\uFEFF"Biểu số 06/VPCP/KSTT — Tình hình, kết quả giải quyết thủ tục hành chính"\r\n')).toBe(true);
    expect(out).toContain('Kỳ báo cáo: từ ngày 01/09/2026 đến ngày 31/10/2026');
    expect(out).toContain('Thời điểm lập báo cáo: 23/11/2026 12:00');
    expect(out).toContain('Số hồ sơ nhận giải quyết');
    expect(out).toContain('Lĩnh vực');
    const total = out.split('\r\n').find((l) => l.startsWith(',Tổng cộng')) as string;
    expect(total).toMatch(/^,Tổng cộng,,1\.\d{3},/);
    expect(total).toMatch(/"\d{1,3},\d{2} %"/);
  });

  it('writes the XLSX Biểu 06 layout with merged headers and numbers', async () => {
    const file = join(dir, 'b06.xlsx');
    const { code } = await cli('report', '--config', config, '--month', '2026-10', '--format', 'xlsx', '--out', file);
    expect(code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Biểu 06') as ExcelJS.Worksheet;
    const json = JSON.parse((await cli('report', '--config', config, '--month', '2026-10', '--format', 'json')).out);
    expect(ws.getCell('A1').value).toMatch(/^Biểu số 06/);
    // One landscape page wide when printed, the title centred over the table.
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, horizontalCentered: true });
    expect(ws.getCell('A1').alignment).toMatchObject({ horizontal: 'center' });
    expect(ws.getCell('A1').master.address).toBe('A1');
    expect(ws.getCell(1, 15).master.address).toBe('A1');
    const headerRow = 7; // title, 4 meta lines, blank
    expect(ws.getCell(headerRow, 3).value).toBe('Số hồ sơ nhận giải quyết');
    expect(ws.getCell(headerRow, 3).isMerged).toBe(true);
    expect(ws.getCell(headerRow, 6).master.address).toBe(ws.getCell(headerRow, 3).address); // 4 columns merged
    expect(ws.getCell(headerRow, 7).value).toBe('Số hồ sơ đã giải quyết');
    expect(ws.getCell(headerRow, 1).master.address).toBe(ws.getCell(headerRow + 2, 1).master.address); // STT spans 3 rows
    expect(ws.getCell(headerRow + 2, 4).value).toBe('Trực tuyến');
    const first = ws.getRow(headerRow + 3);
    expect(first.getCell(2).value).toBe(`${json.rows[0].unitName} (${json.rows[0].unitCode})`);
    expect(first.getCell(3).value).toBe(json.rows[0].received.total);
    expect(first.getCell(3).numFmt).toBe('#,##0');
    expect(first.getCell(15).value).toBe(json.rows[0].rates.late);
    expect(first.getCell(15).numFmt).toBe('0.00" %"');
    const totals = ws.getRow(headerRow + 3 + json.rows.length);
    expect(totals.getCell(2).value).toBe('Tổng cộng');
    expect(totals.getCell(3).value).toBe(json.totals.received.total);
    // Late rates above the configured threshold (1 %) are filled.
    expect((first.getCell(15).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).toBe(json.rows[0].rates.late > 1 ? 'FFFDE2E1' : undefined);
  });

  it('writes a self-contained HTML page with highlighted late rates', async () => {
    const file = join(dir, 'b06.html');
    expect((await cli('report', '--config', config, '--month', '2026-10', '--format', 'html', '--out', file, '--late-threshold', '0')).code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(html).not.toMatch(/<(script|link|img)\b|src=|href=|@import|url\(/);
    expect(html).toContain('<th colspan="4">Số hồ sơ nhận giải quyết</th>');
    expect(html).toContain('Sở Tư pháp tỉnh Quảng Trị (000.20.48.H48)');
    expect(html).toMatch(/<td class="n hl">\d{1,3},\d{2} %<\/td>/);
    expect(html).toContain('Tỷ lệ trễ hạn trên 0,00 %');
  });

  it('prints the 766 indicators keyed by indicator number, in every format', async () => {
    const { code, out } = await cli('report', 'indicators', '--config', config, '--month', '2026-10', '--json');
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.period).toEqual({ from: '2026-10-01', to: '2026-10-31' }); // calendar months for 766
    const ind = j.rows[0].indicators;
    expect(Object.keys(ind)).toEqual(expect.arrayContaining(['2.1', '1.4', '3.3', '3.6', '4.1', '4.2']));
    expect(ind['2.1']).toMatchObject({ maxScore: 20 });
    expect(Number.isInteger(ind['2.1'].numerator) && Number.isInteger(ind['2.1'].denominator)).toBe(true);
    expect(ind['1.1']).toMatchObject({ computable: false, maxScore: 6 });
    // The total row: each indicator on the summed counts of every unit.
    for (const code of ['2.1', '4.1', '4.2']) {
      const num = j.rows.reduce((n: number, r: { indicators: Record<string, { numerator: number }> }) => n + r.indicators[code]!.numerator, 0);
      const den = j.rows.reduce((n: number, r: { indicators: Record<string, { denominator: number }> }) => n + r.indicators[code]!.denominator, 0);
      expect(j.total.indicators[code]).toMatchObject({ numerator: num, denominator: den });
      if (den > 0) expect(j.total.indicators[code].rate).toBeCloseTo((100 * num) / den, 2);
    }
    expect(j.total.unitName).toBe('Tổng cộng');
    const csv = (await cli('report', 'indicators', '--config', config, '--month', '2026-10', '--format', 'csv')).out;
    expect(csv).toContain('2.1. Hồ sơ xử lý trước hạn, đúng hạn (tối đa 20 điểm)');
    expect(csv).toContain('Không tính được từ hồ sơ đồng bộ');
    const file = join(dir, 'ind.xlsx');
    expect((await cli('report', 'indicators', '--config', config, '--from', '2026-10-01', '--to', '2026-10-31', '--format', 'xlsx', '--out', file)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.getWorksheet('Chỉ số 766')?.getCell(6, 3).value).toMatch(/^1\.4|^2\.1/);
    const html766 = (await cli('report', 'indicators', '--config', config, '--month', '2026-10', '--format', 'html')).out;
    expect(html766).toContain('Quyết định 766/QĐ-TTg');
    expect(html766).toMatch(/<tr class="total"><td[^>]*>[^<]*<\/td><td>Tổng cộng<\/td><td class="n">[\d.]+<\/td>/);
  });

  it('lists apology letters due, in JSON, CSV, XLSX and HTML', async () => {
    const { code, out } = await cli('report', 'late', '--config', config, '--at', '2026-10-20', '--json');
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.window).toEqual({ from: '2026-10-20', to: '2026-10-21' });
    expect(j.rows.length).toBeGreaterThan(0);
    expect(j.rows.every((r: { dueDate: string; overdue: boolean }) => r.dueDate >= '2026-10-20' && r.dueDate <= '2026-10-21' && !r.overdue)).toBe(true);
    const withOverdue = JSON.parse((await cli('report', 'late', '--config', config, '--at', '2026-10-20', '--include-overdue', '--json')).out);
    expect(withOverdue.rows.length).toBeGreaterThan(j.rows.length);
    const csv = (await cli('report', 'late', '--config', config, '--at', '2026-10-20', '--format', 'csv')).out;
    expect(csv).toContain('Hạn gửi phiếu xin lỗi');
    expect(csv).toContain(j.rows[0].code);
    const file = join(dir, 'late.xlsx');
    expect((await cli('report', 'late', '--config', config, '--at', '2026-10-20', '--format', 'xlsx', '--out', file)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Phiếu xin lỗi') as ExcelJS.Worksheet;
    expect(ws.getRow(6).getCell(2).value).toBe('Mã hồ sơ');
    expect(ws.getRow(7).getCell(2).value).toBe(j.rows[0].code);
    expect(ws.getRow(7).getCell(6).value).toEqual(new Date(`${j.rows[0].dueDate}T00:00:00.000Z`));
    expect((await cli('report', 'late', '--config', config, '--at', '2026-10-20', '--format', 'html')).out).toContain('Phiếu xin lỗi');
  });

  it('lists NgayHenTra that disagree with the catalogue', async () => {
    const { code, out } = await cli('report', 'deadline-mismatch', '--config', config, '--catalog', CATALOG, '--from', '2026-10-01', '--to', '2026-10-14', '--json');
    expect(code).toBe(2);
    const j = JSON.parse(out);
    // The generator's NgayHenTra is 14 calendar days after receipt; 2.000488 has 3 working days in the sample catalogue.
    expect(j.checked).toBeGreaterThan(0);
    expect(j.rows.length).toBe(j.checked);
    expect(j.rows[0]).toMatchObject({ procedureCode: '2.000488' });
    expect(j.rows.every((r: { differenceWorkingDays: number }) => r.differenceWorkingDays > 0)).toBe(true);
    const csv = (await cli('report', 'deadline-mismatch', '--config', config, '--catalog', CATALOG, '--format', 'csv')).out;
    expect(csv).toContain('Ngày hẹn trả (tính lại)');
    const file = join(dir, 'mm.xlsx');
    expect((await cli('report', 'deadline-mismatch', '--config', config, '--catalog', CATALOG, '--format', 'xlsx', '--out', file)).code).toBe(2);
    expect((await cli('report', 'deadline-mismatch', '--config', config, '--catalog', CATALOG, '--format', 'html')).out).toContain('Ngày hẹn trả (hệ thống một cửa)');
  });

  it('names the bad option on bad input', async () => {
    const bad = async (...args: string[]) => {
      const r = await cli('report', '--config', config, ...args);
      expect(r.code).toBe(1);
      return r.err;
    };
    expect(await bad('--month', '2026-13')).toMatch(/--month must be YYYY-MM/);
    expect(await bad('--from', '2026-02-30', '--to', '2026-03-01')).toMatch(/--from must be a real date/);
    expect(await bad('--from', '2026-03-01')).toMatch(/--from and --to go together/);
    expect(await bad('--month', '2026-10', '--calendar', 'lunar')).toMatch(/--calendar must be admin or calendar/);
    expect(await bad('--month', '2026-10', '--by', 'commune')).toMatch(/--by must be unit, field or procedure/);
    expect(await bad('--month', '2026-10', '--format', 'pdf')).toMatch(/--format must be/);
    expect(await bad('--month', '2026-10', '--format', 'xlsx')).toMatch(/needs --out/);
    expect(await bad('--month', '2027-10')).toMatch(/from: 2027-09-15 is after today/);
    expect(await bad('late')).toMatch(/--at YYYY-MM-DD/);
    expect(await bad('deadline-mismatch')).toMatch(/needs a procedure catalogue/);
    expect(await bad('deadline-mismatch', '--catalog', join(dir, 'missing.json'))).toMatch(/--catalog: cannot read/);
    await writeFile(join(dir, 'units.json'), JSON.stringify({ version: 1, units: [{ code: 'bad', name: 'x' }] }));
    expect(await bad('--month', '2026-10', '--units', join(dir, 'units.json'))).toMatch(/--units .*units\[0\]\.code/);
    expect(await bad('frobnicate', '--month', '2026-10')).toMatch(/unknown report "frobnicate"/);
  });

  it('warns with exit 2 about units missing from the registry', async () => {
    await writeFile(join(dir, 'units-ok.json'), JSON.stringify({ version: 1, units: [{ code: '000.20.48.H48', name: 'Sở Tư pháp' }] }));
    const { code, out, err } = await cli('report', '--config', config, '--month', '2026-10', '--units', join(dir, 'units-ok.json'), '--json');
    expect(code).toBe(2);
    expect(err).toMatch(/warning unit_not_in_registry \(000\.05\.21\.H48\)/);
    expect(JSON.parse(out).rows.find((r: { unitCode: string }) => r.unitCode === '000.20.48.H48').unitName).toBe('Sở Tư pháp');
  });
});
