/**
 * Adapters: records/second of parsing alone vs parsing + mapping + validation, per kind of source:
 * JSON (dvcqg-file, NDJSON), CSV (csv-xlsx, UTF-8 and TCVN3 with Vietnamese headers and a declared
 * code table), XML (soap-xml, through the `xmlCase` hook of ./adapters-xml.ts).
 *   npm run bench -- adapters --n 20000
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { csvXlsxAdapter } from '../adapters/csv-xlsx/index.ts';
import { dvcqgFileAdapter } from '../adapters/dvcqg-file/index.ts';
import { generateDossiers } from '../src/demo/generate.ts';
import type { AnyAdapter } from '../src/sdk/conformance/index.ts';
import { encodeLegacy, type LegacyEncoding } from '../src/text/index.ts';

export interface KindFigures {
  kind: string;
  records: number;
  parseOnlyPerSecond: number;
  mapAndValidatePerSecond: number;
  invalid: number;
}

const PAGE = 500;

/** Pulls everything (parse alone), then pulls and maps everything; mapping's own rate is the difference. */
async function measure(kind: string, adapter: AnyAdapter, options: unknown): Promise<KindFigures> {
  let t = performance.now();
  let records = 0;
  for await (const page of adapter.pull(options, null, { pageSize: PAGE })) records += page.records.length;
  const parseMs = performance.now() - t;
  t = performance.now();
  let invalid = 0;
  for await (const page of adapter.pull(options, null, { pageSize: PAGE })) {
    for (const r of page.records) if (r.parseIssues?.length || !adapter.map(r.raw, { sourceId: 'bench', options }).ok) invalid++;
  }
  const mapMs = Math.max(1, performance.now() - t - parseMs);
  return { kind, records, parseOnlyPerSecond: Math.round((records * 1000) / parseMs), mapAndValidatePerSecond: Math.round((records * 1000) / mapMs), invalid };
}

const HEADERS = ['Mã hồ sơ', 'Mã thủ tục', 'Tên thủ tục', 'Đơn vị xử lý', 'Người nộp', 'Số điện thoại', 'Trích yếu', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Trạng thái', 'Loại đối tượng', 'Hình thức trả'];
const LABELS = ['', 'Mới đăng ký', 'Tiếp nhận', 'Từ chối', 'Đang xử lý', 'Bổ sung', 'Chờ nộp phí', 'Rút', 'Dừng', 'Xong', 'Đã trả'];
const vnDate = (d: string) => (d ? `${d.slice(6, 8)}/${d.slice(4, 6)}/${d.slice(0, 4)} ${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}` : '');
const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeLines(file: string, lines: Iterable<string>, encoding: LegacyEncoding): Promise<void> {
  const out = createWriteStream(file);
  for (const line of lines) if (!out.write(encodeLegacy(`${line}\n`, encoding))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '20000' } } });
  const n = Number(values.n);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-adapters-'));
  try {
    const json = join(dir, 'json');
    const csv = (e: string) => join(dir, `csv-${e}`);
    await import('node:fs/promises').then(async (fs) => Promise.all([fs.mkdir(json), fs.mkdir(csv('utf-8')), fs.mkdir(csv('tcvn3'))]));
    await writeLines(join(json, 'bench.ndjson'), (function* () {
      for (const d of generateDossiers({ count: n, seed: 1, spanDays: 180 })) yield JSON.stringify(d);
    })(), 'utf-8');
    const rows = function* () {
      yield HEADERS.join(',');
      for (const d of generateDossiers({ count: n, seed: 1, spanDays: 180 })) {
        yield [d.MaHoSo, d.MaTTHC, d.TenTTHC, d.DonViXuLy, d.ChuHoSo ?? '', d.SoDienThoai ?? '', d.TrichYeuHoSo, vnDate(d.NgayTiepNhan ?? ''), vnDate(d.NgayHenTra ?? ''), LABELS[Number(d.TrangThaiHoSo)] ?? '', d.LoaiDoiTuong, d.HinhThuc].map((v) => cell(String(v ?? ''))).join(',');
      }
    };
    for (const e of ['utf-8', 'tcvn3'] as const) await writeLines(join(csv(e), 'bench.csv'), rows(), e);
    const status = Object.fromEntries(LABELS.map((l, i) => [l, i]).filter(([l]) => l !== ''));
    const csvOptions = (e: string) => csvXlsxAdapter.configSchema.parse({ path: csv(e), encoding: e === 'utf-8' ? 'utf-8' : 'auto', dateFormat: 'dd/MM/yyyy HH:mm:ss', tables: { status } });
    const figures: KindFigures[] = [
      await measure('JSON (dvcqg-file, NDJSON)', dvcqgFileAdapter as AnyAdapter, { path: json }),
      await measure('CSV (csv-xlsx, UTF-8)', csvXlsxAdapter as AnyAdapter, csvOptions('utf-8')),
      await measure('CSV (csv-xlsx, TCVN3 detected)', csvXlsxAdapter as AnyAdapter, csvOptions('tcvn3')),
    ];
    // Hook for the XML kind (soap-xml): ./adapters-xml.ts exports `xmlCase(n)`.
    const xml = (await import('./adapters-xml.ts').catch(() => null)) as { xmlCase?: (n: number) => Promise<KindFigures> } | null;
    if (xml?.xmlCase) figures.push(await xml.xmlCase(n));
    console.log(`adapters: ${n} records per kind, pages of ${PAGE}; peak RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
    console.table(figures.map((f) => ({ kind: f.kind, records: f.records, invalid: f.invalid, 'parse alone (rec/s)': f.parseOnlyPerSecond, 'map + validate (rec/s)': f.mapAndValidatePerSecond })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
