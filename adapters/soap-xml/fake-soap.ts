/**
 * A fake .NET SOAP one-stop service for tests (msw): `LayDanhSachHoSo(trang, soBanGhi, tuNgay)`
 * with Basic auth, SOAPAction checked, records taken from the recorded-style fixture pages and
 * served strictly after `tuNgay`; faults can be injected.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';

export const SOAP_URL = 'http://motcua.test/DichVuHoSo.asmx';
export const SOAP_USER = 'lienthong';
export const SOAP_PASSWORD = 'Soap-Pa55-<&>-word';
export const SOAP_ACTION = 'http://motcua.example.gov.vn/LayDanhSachHoSo';

export const soapFixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The `<HoSo>` elements of the fixture pages. */
export const SOAP_RECORDS: string[] = [soapFixture('page-1.xml'), soapFixture('page-2.xml')].flatMap((x) => x.match(/<HoSo>[\s\S]*?<\/HoSo>/g) ?? []);

export function soapPage(records: string[], total: number): string {
  return soapFixture('page-1.xml').replace(/<TongSo>\d+<\/TongSo>/, `<TongSo>${total}</TongSo>`).replace(/<DanhSachHoSo>[\s\S]*<\/DanhSachHoSo>/, `<DanhSachHoSo>${records.join('')}</DanhSachHoSo>`);
}

export interface FakeSoap {
  calls: string[];
  faults: { status: number; headers?: Record<string, string> | undefined; body?: string | undefined }[];
  /** Replace the next answer's body (200). */
  next?: string;
}

export function fakeSoap(): { state: FakeSoap; handler: ReturnType<typeof http.post> } {
  const state: FakeSoap = { calls: [], faults: [] };
  const auth = `Basic ${Buffer.from(`${SOAP_USER}:${SOAP_PASSWORD}`).toString('base64')}`;
  const handler = http.post(SOAP_URL, async ({ request }) => {
    const body = await request.text();
    state.calls.push(body);
    const fault = state.faults.shift();
    if (fault) return new HttpResponse(fault.body ?? soapFixture('fault.xml'), { status: fault.status, headers: { 'content-type': 'text/xml; charset=utf-8', ...fault.headers } });
    if (request.headers.get('authorization') !== auth) return new HttpResponse('401 - Unauthorized: Access is denied due to invalid credentials.', { status: 401 });
    if (request.headers.get('soapaction') !== `"${SOAP_ACTION}"`) return new HttpResponse(soapFixture('fault.xml'), { status: 500 });
    if (state.next !== undefined) {
      const text = state.next;
      delete state.next;
      return new HttpResponse(text, { headers: { 'content-type': 'text/xml; charset=utf-8' } });
    }
    const page = Number(/<trang>(\d+)<\/trang>/.exec(body)?.[1] ?? '1');
    const size = Number(/<soBanGhi>(\d+)<\/soBanGhi>/.exec(body)?.[1] ?? '100');
    const since = /<tuNgay>([^<]*)<\/tuNgay>/.exec(body)?.[1] ?? '';
    const rows = since ? SOAP_RECORDS.filter((r) => Date.parse(/<CapNhatLuc>([^<]+)</.exec(r)?.[1] ?? '') > Date.parse(since)) : SOAP_RECORDS;
    return new HttpResponse(soapPage(rows.slice((page - 1) * size, page * size), rows.length), { headers: { 'content-type': 'text/xml; charset=utf-8' } });
  });
  return { state, handler };
}

/** Options for the fake service (as in a config file). */
export const SOAP_OPTIONS = {
  url: SOAP_URL,
  soapAction: SOAP_ACTION,
  body: '<LayDanhSachHoSo xmlns="http://motcua.example.gov.vn/"><trang>{page}</trang><soBanGhi>{size}</soBanGhi><tuNgay>{since}</tuNgay></LayDanhSachHoSo>',
  auth: 'basic',
  username: SOAP_USER,
  passwordEnv: 'MOTCUA_SOAP_PASSWORD',
  password: SOAP_PASSWORD,
  paging: { type: 'page', firstPage: 1, size: 2 },
  recordsPath: 'LayDanhSachHoSoResponse.LayDanhSachHoSoResult.DanhSachHoSo.HoSo',
  totalPath: 'LayDanhSachHoSoResponse.LayDanhSachHoSoResult.TongSo',
  arrays: ['QuaTrinhXuLy.Buoc'],
  modifiedSince: { format: 'iso', field: 'CapNhatLuc', overlapMinutes: 0 },
  mapping: JSON.parse(soapFixture('mapping.json')) as unknown,
  retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 },
};
