/**
 * The procedure catalogue (issue #10 item 13) on the test database (PGlite, or PostgreSQL with
 * DATABASE_URL): sync from a file and from fake portals (a provincial proxy serving GETs with a
 * bearer token, and a session portal), changed entries with new dates, bad entries skipped with
 * their field, `show`, and the stored catalogue preferred by the rules over the file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEntry } from '../../src/cli/commands/catalog.ts';
import { listCatalog, preferStoredCatalog, storedProcedureCatalog } from '../../src/catalog/store.ts';
import { syncCatalog } from '../../src/catalog/sync.ts';
import { parseConfig } from '../../src/config.ts';
import { loadProcedureCatalog } from '../../src/rules/procedures.ts';
import { sendJson, startLocalServer, type LocalServer } from '../support/http-server.ts';
import { openTestLedger, type TestLedger } from '../support/ledger.ts';

let ledger: TestLedger;
let dir: string;
let server: LocalServer;
let base = '';
const TOKEN = 'proxy-Bearer-T0ken';
const PASSWORD = 'p0rtal-Passw0rd';
const calls: { path: string; auth: string | undefined; body: string }[] = [];

/** The proxy's catalogue: DVCQG shapes (UPPER-CASE keys, `{error_code, result}`). */
const LIST = [
  { MATTHC: '2.000908', TENTTHC: 'Chứng thực bản sao từ bản chính' },
  { MATTHC: '1.001612', TENTTHC: 'Đăng ký khai sinh' },
  { MATTHC: '2.002492', TENTTHC: 'Thủ tục có đơn vị thời gian lạ' },
];
const DETAIL: Record<string, unknown> = {
  '2.000908': { MATTHC: '2.000908', TENTTHC: 'Chứng thực bản sao từ bản chính', LINHVUCTHUCHIEN: [{ MALINHVUC: 'G09-TP04', TENLINHVUC: 'Chứng thực' }], CACHTHUCTHUCHIEN: [{ KENH: '2', THOIGIAN: [{ THOIGIANGIAIQUYET: '2', DONVITINH: 'Ngày làm việc' }] }, { KENH: '1', THOIGIAN: [{ THOIGIANGIAIQUYET: '0', DONVITINH: 'Ngày làm việc', MOTA: 'Trong ngày' }] }] },
  '1.001612': { matthc: '1.001612', tenTTHC: 'Đăng ký khai sinh', linhVucThucHien: [{ maLinhVuc: 'G09-TP01', tenLinhVuc: 'Hộ tịch' }], cachThucThucHien: [{ kenh: 1, thoiGian: [{ thoiGianGiaiQuyet: 3, donViTinh: 'Ngày làm việc' }] }] },
  '2.002492': { MATTHC: '2.002492', TENTTHC: 'Thủ tục có đơn vị thời gian lạ', CACHTHUCTHUCHIEN: [{ KENH: '1', THOIGIAN: [{ THOIGIANGIAIQUYET: '1', DONVITINH: 'Tuần' }] }] },
};

beforeAll(async () => {
  server = await startLocalServer((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push({ path: url.pathname + url.search, auth: req.headers.authorization, body });
    const json = (v: unknown, status = 200) => sendJson(res, status, v);
    // Provincial proxy: plain GETs, bearer token.
    if (url.pathname.startsWith('/KetNoiMotCuaQuocGia/')) {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json({ message: 'unauthorized' }, 401);
      if (url.pathname.endsWith('/LayDanhSachTTHC')) return json({ error_code: '0', result: LIST });
      if (url.pathname.endsWith('/LayThuTuc')) return json({ error_code: 0, result: [DETAIL[url.searchParams.get('maTTHC') ?? '']] });
    }
    // National portal: login, then the service envelope.
    if (url.pathname === '/dvcqg/auth') return json(JSON.parse(body).password === PASSWORD ? { error_code: 0, session: 'sess-42' } : { error_code: -1, message: 'sai mật khẩu' });
    if (url.pathname === '/dvcqg/service') {
      const b = JSON.parse(body) as Record<string, string>;
      if (b['session'] !== 'sess-42') return json({ error_code: -2, message: 'hết phiên' });
      if (b['service'] === 'LayDanhSachTTHC') return json({ error_code: 0, result: LIST.slice(0, 2) });
      if (b['service'] === 'LayThuTuc') return json({ error_code: 0, result: [DETAIL[b['maTTHC'] ?? '']] });
    }
    return json({ error_code: -1, message: 'not found' }, 404);
  });
  base = server.base;
});
afterAll(() => server.close());
beforeEach(async () => {
  ledger = await openTestLedger();
  dir = await mkdtemp(join(tmpdir(), 'lt-catalog-'));
  calls.length = 0;
});
afterEach(async () => {
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
});

const retry = { maxAttempts: 1, minDelayMs: 0, maxDelayMs: 0 };
const config = () =>
  parseConfig({
    sources: [],
    targets: [
      { id: 'tinh', style: 'bare-array', baseUrl: `${base}/KetNoiMotCuaQuocGia`, unitCode: '000.00.00.H56', auth: { type: 'bearer', tokenEnv: 'TINH_TOKEN' }, retry },
      { id: 'national', style: 'session', baseUrl: `${base}/dvcqg`, loginPath: 'auth', servicePath: 'service', unitCode: '000.00.00.H56', username: 'lienthong', passwordEnv: 'DVCQG_PASSWORD', retry },
    ],
  });
const env = { TINH_TOKEN: TOKEN, DVCQG_PASSWORD: PASSWORD };

const FILE = {
  version: 1,
  procedures: [
    { code: '2.000908', name: 'Chứng thực bản sao từ bản chính', fieldCode: 'CT', fieldName: 'Chứng thực', timeLimit: { value: 0, unit: 'working_days' }, cutoff: '15:00', returnsDocument: true },
    { code: '2.000488', name: 'Thủ tục sai đơn vị', timeLimit: { value: 3, unit: 'weeks' } },
    { code: '0.000001', name: 'Thủ tục 1.000 giờ làm việc', fieldCode: 'DD', timeLimit: { value: 1000, unit: 'working_hours' }, validFrom: '2026-01-01' },
  ],
};

async function writeCatalog(value: unknown): Promise<string> {
  const path = join(dir, 'tthc.json');
  await writeFile(path, JSON.stringify(value));
  return path;
}

describe('catalog sync from a file', () => {
  it('stores the good entries, skips the bad one naming its field, and counts', async () => {
    const path = await writeCatalog(FILE);
    const r = await syncCatalog(ledger, config(), { file: path, now: new Date('2026-12-07T02:05:00Z') });
    expect(r).toMatchObject({ source: `file:${path}`, added: 2, changed: 0, unchanged: 0, skipped: 1 });
    expect(r.problems).toEqual([{ entry: '2.000488', field: 'procedures[1].timeLimit.unit', message: expect.stringMatching(/working_days/) as string }]);
    const stored = await listCatalog(ledger);
    expect(stored.map((e) => [e.code, e.timeLimit.value, e.timeLimit.unit, e.cutoff, e.validFrom, e.fetchedAt])).toEqual([
      ['0.000001', 1000, 'working_hours', null, '2026-01-01', '2026-12-07T02:05:00.000Z'],
      ['2.000908', 0, 'working_days', '15:00', null, '2026-12-07T02:05:00.000Z'],
    ]);
  });

  it('a changed entry is updated with new fetched and changed dates; an unchanged one keeps its changed date', async () => {
    const path = await writeCatalog(FILE);
    await syncCatalog(ledger, config(), { file: path, now: new Date('2026-12-01T01:00:00Z') });
    const changed = structuredClone(FILE);
    changed.procedures[2]!.timeLimit.value = 16;
    await writeCatalog(changed);
    const r = await syncCatalog(ledger, config(), { file: path, now: new Date('2026-12-07T03:00:00Z') });
    expect(r).toMatchObject({ added: 0, changed: 1, unchanged: 1, skipped: 1 });
    const [one] = await listCatalog(ledger, '0.000001');
    expect(one).toMatchObject({ timeLimit: { value: 16, unit: 'working_hours' }, fetchedAt: '2026-12-07T03:00:00.000Z', changedAt: '2026-12-07T03:00:00.000Z' });
    const [same] = await listCatalog(ledger, '2.000908');
    expect(same).toMatchObject({ fetchedAt: '2026-12-07T03:00:00.000Z', changedAt: '2026-12-01T01:00:00.000Z' });
    const [n] = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from procedure_catalog`);
    expect(n?.n).toBe(2);
  });
});

describe('catalog sync from a portal', () => {
  it('reads a provincial proxy (GETs, bearer): list, then each detail; a bad unit is skipped naming the field', async () => {
    const r = await syncCatalog(ledger, config(), { target: 'tinh', env, now: new Date('2026-12-07T02:05:00Z') });
    expect(r).toMatchObject({ source: 'target:tinh', added: 2, changed: 0, unchanged: 0, skipped: 1 });
    expect(r.problems).toEqual([{ entry: '2.002492', field: 'CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH', message: expect.stringContaining('"Tuần"') as string }]);
    expect(calls.map((c) => c.path).sort()).toEqual(['/KetNoiMotCuaQuocGia/LayDanhSachTTHC', '/KetNoiMotCuaQuocGia/LayThuTuc?maTTHC=1.001612', '/KetNoiMotCuaQuocGia/LayThuTuc?maTTHC=2.000908', '/KetNoiMotCuaQuocGia/LayThuTuc?maTTHC=2.002492']);
    const stored = await listCatalog(ledger);
    // The direct channel's (KENH 1) limit; lower-case keys read as well.
    expect(stored.map((e) => [e.code, e.name, e.fieldCode, e.fieldName, e.timeLimit.value, e.timeLimit.unit])).toEqual([
      ['1.001612', 'Đăng ký khai sinh', 'G09-TP01', 'Hộ tịch', 3, 'working_days'],
      ['2.000908', 'Chứng thực bản sao từ bản chính', 'G09-TP04', 'Chứng thực', 0, 'working_days'],
    ]);
    const raw = await ledger.rows<{ t: string }>(sql`select string_agg(raw::text || source, ' ') as t from procedure_catalog`);
    expect(raw[0]?.t).toContain('G09-TP04');
    expect(raw[0]?.t).not.toContain(TOKEN);
  });

  it('reads a session portal: login, then LayDanhSachTTHC and LayThuTuc in the service envelope', async () => {
    const r = await syncCatalog(ledger, config(), { target: 'national', env });
    expect(r).toMatchObject({ added: 2, skipped: 0 });
    const services = calls.filter((c) => c.path === '/dvcqg/service').map((c) => JSON.parse(c.body) as Record<string, string>);
    expect(services[0]).toEqual({ session: 'sess-42', madonvi: '000.00.00.H56', service: 'LayDanhSachTTHC' });
    expect(services.slice(1).map((s) => s['maTTHC']).sort()).toEqual(['1.001612', '2.000908']);
  });

  it('a refused token is an error that never quotes the token', async () => {
    const e = (await syncCatalog(ledger, config(), { target: 'tinh', env: { TINH_TOKEN: 'wrong-token-value' } }).catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/401/);
    expect(e.message).not.toContain('wrong-token-value');
    expect(await listCatalog(ledger)).toEqual([]);
  });
});

describe('catalog show and use', () => {
  it('shows dates in Vietnam time and numbers in Vietnamese format', async () => {
    await syncCatalog(ledger, config(), { file: await writeCatalog(FILE), now: new Date('2026-12-07T17:05:00Z') });
    const [e] = await listCatalog(ledger, '0.000001');
    expect(describeEntry(e!)).toEqual([
      '0.000001  Thủ tục 1.000 giờ làm việc',
      '  lĩnh vực: DD',
      '  thời hạn: 1.000 giờ làm việc',
      '  hiệu lực: 01/01/2026 – …',
      `  nguồn: file:${join(dir, 'tthc.json')} · lấy lúc 08/12/2026 00:05 · thay đổi lúc 08/12/2026 00:05`,
    ]);
    const [same] = await listCatalog(ledger, '2.000908');
    expect(describeEntry(same!)[2]).toBe('  thời hạn: trong ngày (nhận sau 15:00 tính từ ngày làm việc tiếp theo)');
  });

  it('the rules use the stored catalogue when there is one, the file otherwise', async () => {
    const file = loadProcedureCatalog({ version: 1, procedures: [{ code: '2.000908', name: 'từ tệp', timeLimit: { value: 5, unit: 'working_days' } }] });
    expect(await storedProcedureCatalog(ledger)).toBeNull();
    expect((await preferStoredCatalog(ledger, file))?.find('2.000908')?.timeLimit.value).toBe(5);
    await syncCatalog(ledger, config(), { target: 'tinh', env });
    const used = await preferStoredCatalog(ledger, file);
    expect(used?.find('2.000908')?.timeLimit).toEqual({ value: 0, unit: 'working_days' });
    expect(used?.find('1.001612', '2026-12-07')?.name).toBe('Đăng ký khai sinh');
  });
});
