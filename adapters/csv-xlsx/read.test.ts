import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapAll, pullAll } from '../../src/sdk/conformance/index.ts';
import { encodeLegacy, type LegacyEncoding } from '../../src/text/index.ts';
import { vietnameseLetters } from '../../src/text/letters.ts';
import { CsvXlsxOptionsSchema } from './config.ts';
import { detectDelimiter, splitFields } from './csv.ts';
import { csvXlsxAdapter } from './index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = (path: string, extra: Record<string, unknown> = {}) => CsvXlsxOptionsSchema.parse({ path, ...extra });
const rows = async (path: string, extra: Record<string, unknown> = {}) => (await pullAll({ adapter: csvXlsxAdapter, options: options(path, extra), pageSize: 100 })).records;

describe('CSV fields', () => {
  it('splits quoted fields with separators, doubled quotes and line ends', () => {
    expect(splitFields('a;"b;""c""";"x\ny";', ';')).toStrictEqual(['a', 'b;"c"', 'x\ny', '']);
  });
  it.each([
    ['Mã hồ sơ,Tên', ','],
    ['Mã hồ sơ;Tên;"a,b"', ';'],
    ['Mã hồ sơ\tTên', '\t'],
    ['Mã hồ sơ|Tên', '|'],
  ])('detects the separator of %j', (header, sep) => {
    expect(detectDelimiter(header)).toBe(sep);
  });
});

describe('encodings', () => {
  // Every Vietnamese letter with every tone, upper and lower case, in one cell.
  const letters = vietnameseLetters();
  const all = [...letters, ...letters.map((l) => l.toUpperCase())].join(' ');

  it.each(['utf-8', 'windows-1258', 'tcvn3', 'vni'] as LegacyEncoding[])('reads every letter with every tone from a %s file, configured and detected, as NFC', async (encoding) => {
    const file = join(dir, `letters-${encoding}.csv`);
    const text = `MaHoSo;TenTTHC;GhiChu\r\nX-1;Cộng hòa xã hội chủ nghĩa Việt Nam;${all}\r\n`;
    await writeFile(file, encodeLegacy(text, encoding));
    for (const enc of [encoding, 'auto']) {
      const [rec] = await rows(file, { encoding: enc });
      expect(rec?.raw).toStrictEqual({ MaHoSo: 'X-1', TenTTHC: 'Cộng hòa xã hội chủ nghĩa Việt Nam', GhiChu: all.normalize('NFC') });
    }
  });

  it('strips a UTF-8 BOM from the first header', async () => {
    const file = join(dir, 'bom.csv');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Mã hồ sơ,Tên thủ tục\nA,B\n')]));
    expect((await rows(file))[0]?.raw).toStrictEqual({ 'Mã hồ sơ': 'A', 'Tên thủ tục': 'B' });
    expect((await rows(file))[0]?.key).toBe('A');
  });
});

describe('rows', () => {
  it('keeps a row with more cells than the header, with the reason and its raw text', async () => {
    const file = join(dir, 'extra.csv');
    await writeFile(file, 'MaHoSo,TenTTHC\nA,B,C\n');
    const [rec] = await rows(file);
    expect(rec?.parseIssues?.[0]?.message).toMatch(/extra\.csv:2: the row has 3 cells, the header 2/);
    expect(rec?.rawText).toBe('A,B,C');
  });

  it('maps portal-named columns without any mapping', async () => {
    const file = join(dir, 'portal.csv');
    await writeFile(file, 'MaHoSo,MaTTHC,TenTTHC,DonViXuLy,LoaiDoiTuong,TrichYeuHoSo,NgayTiepNhan,TrangThaiHoSo,HinhThuc\nH-1,1.1,Thủ tục,UBND,1,Trích yếu,05/03/2024 08:30:00,4,0\n');
    const o = options(file);
    const [m] = mapAll({ adapter: csvXlsxAdapter, options: o }, await rows(file));
    expect(m?.outcome.ok && m.outcome.value.dates.receivedAt).toBe('2024-03-05T01:30:00.000Z');
  });

  it('reads the named XLSX worksheet, and nothing from a sheet that does not exist', async () => {
    const file = fileURLToPath(new URL('./fixtures/export/05-sheet.xlsx', import.meta.url));
    expect((await rows(file, { sheet: 'Hồ sơ' })).map((r) => r.location)).toStrictEqual(['05-sheet.xlsx!Hồ sơ:2', '05-sheet.xlsx!Hồ sơ:3']);
    expect(await rows(file, { sheet: 'Khác' })).toStrictEqual([]);
  });

  it('streams a large file page by page and resumes at a byte offset', async () => {
    const file = join(dir, 'large.csv');
    const lines = ['MaHoSo,TenTTHC'];
    for (let i = 0; i < 5000; i++) lines.push(`H-${i},"Thủ tục ${i}, bản ""${i}"""`);
    await writeFile(file, lines.join('\n'));
    const o = options(file);
    let first: unknown;
    let count = 0;
    for await (const page of csvXlsxAdapter.pull(o, null, { pageSize: 1000 })) {
      first ??= page.cursor;
      count += page.records.length;
    }
    expect(count).toBe(5000);
    expect(first).toMatchObject({ current: { row: 1000, line: 1002 } });
    const rest = await pullAll({ adapter: csvXlsxAdapter, options: o, pageSize: 5000 }, first);
    expect(rest.records[0]).toMatchObject({ key: 'H-1000', location: 'large.csv:1002', raw: { TenTTHC: 'Thủ tục 1000, bản "1000"' } });
    expect(rest.records).toHaveLength(4000);
  });
});
