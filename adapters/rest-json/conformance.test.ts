/**
 * The shared conformance suite over a fake REST/JSON one-stop API (msw): page/size paging, Basic
 * auth, a modified-since parameter (strictly after the watermark, so the final cursor reads nothing).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { restJsonAdapter } from './index.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const ALL = [fixture('page-1.json'), fixture('page-2.json')].flatMap((p) => (p as { ketQua: { danhSach: Record<string, unknown>[] } }).ketQua.danhSach);
const BASE = 'http://motcua.test/api/v1';
const PASSWORD = 'Rest-Conf-Pass-77';

let calls = 0;
const faults: { status: number; headers?: Record<string, string> | undefined; body?: string | undefined }[] = [];
const server = setupServer(
  http.get(`${BASE}/hoso`, ({ request }) => {
    calls++;
    const f = faults.shift();
    if (f) return new HttpResponse(f.body ?? 'lỗi', { status: f.status, ...(f.headers ? { headers: f.headers } : {}) });
    if (request.headers.get('authorization') !== `Basic ${Buffer.from(`motcua:${PASSWORD}`).toString('base64')}`) return new HttpResponse('sai mật khẩu', { status: 401 });
    const q = new URL(request.url).searchParams;
    const since = q.get('tuNgay');
    const rows = since ? ALL.filter((r) => Date.parse(String(r['capNhatLuc'])) > Date.parse(since)) : ALL;
    const n = Number(q.get('trang'));
    const size = Number(q.get('soLuong'));
    return HttpResponse.json({ ketQua: { tongSo: rows.length, danhSach: rows.slice((n - 1) * size, n * size) } });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const options = {
  baseUrl: BASE,
  path: 'hoso',
  auth: { type: 'basic', username: 'motcua' },
  passwordEnv: 'MOTCUA_PASSWORD',
  password: PASSWORD,
  paging: { type: 'page', pageParam: 'trang', sizeParam: 'soLuong', size: 2 },
  recordsPath: 'ketQua.danhSach',
  totalPath: 'ketQua.tongSo',
  modifiedSince: { param: 'tuNgay', format: 'iso', field: 'capNhatLuc', overlapMinutes: 0 },
  mapping: fixture('mapping.json'),
  retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 },
};

describeConformance({
  adapter: restJsonAdapter,
  options,
  golden: fileURLToPath(new URL('./golden/conformance.json', import.meta.url)),
  expectRecords: 3,
  malformed: [
    { name: 'missing code, impossible dates, unmapped status', raw: { ...ALL[0], soHoSo: '', ngayNhan: '31/02/2024 08:00', trangThai: 'TAM_DUNG', quaTrinh: [{ thoiDiem: 'hôm qua', noiDung: 'x', nguoiXuLy: 'y', trangThai: '4' }] }, paths: ['QuaTrinhXuLy[0].MaHoSo', 'ngayNhan', 'quaTrinh[0].thoiDiem', 'soHoSo', 'trangThai'] },
    { name: 'not an object', raw: 'SXD-1', paths: [''] },
  ],
  secrets: [PASSWORD],
  http: () => ({
    badCredentialOptions: { ...options, password: 'wrong-password' },
    fault: (status, headers, body) => void faults.push({ status, headers, body }),
    calls: () => calls,
  }),
});
