import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, UpstreamSchemaError, type GatewayError } from '../../src/errors.ts';
import type { Page } from '../../src/sdk/index.ts';
import type { RestJsonCursor, RestJsonOptions } from './config.ts';
import { restJsonAdapter } from './index.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const MAPPING = fixture('mapping.json');
const PAGES = [fixture('page-1.json'), fixture('page-2.json')] as { ketQua: { tongSo: number; danhSach: Record<string, unknown>[] } }[];
const ALL = PAGES.flatMap((p) => p.ketQua.danhSach);
const GOLDEN = (fixture('../golden/conformance.json') as { records: { dossier: unknown }[] }).records.map((r) => r.dossier);
const BASE = 'http://motcua.test/api/v1';
const SECRET = 'S3cret-Rest-Key-42';

function options(extra: Record<string, unknown>): RestJsonOptions {
  return restJsonAdapter.configSchema.parse({ baseUrl: BASE, path: 'hoso', recordsPath: '$.ketQua.danhSach', mapping: MAPPING, retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 }, ...extra });
}

async function pullAll(opts: RestJsonOptions, cursor: RestJsonCursor | null, stopAfter = Infinity): Promise<Page<RestJsonCursor>[]> {
  const pages: Page<RestJsonCursor>[] = [];
  for await (const page of restJsonAdapter.pull(opts, cursor, { pageSize: 100 })) {
    pages.push(page);
    if (pages.length >= stopAfter) break;
  }
  return pages;
}

async function failureOf(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('expected a failure');
}

const keys = (pages: Page<RestJsonCursor>[]) => pages.flatMap((p) => p.records.map((r) => r.key));
const page = (items: unknown[], extra: Record<string, unknown> = {}) => ({ ketQua: { tongSo: ALL.length, danhSach: items }, ...extra });

describe('rest-json pull', () => {
  it('pages by page/size with Basic auth to the end, then asks only for changes since the watermark', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get(`${BASE}/hoso`, ({ request }) => {
        if (request.headers.get('authorization') !== `Basic ${Buffer.from(`motcua:${SECRET}`).toString('base64')}`) return new HttpResponse(null, { status: 401 });
        const q = new URL(request.url).searchParams;
        seen.push(q);
        const n = Number(q.get('trang'));
        return HttpResponse.json(page(ALL.slice((n - 1) * 2, n * 2)));
      }),
    );
    const opts = options({
      auth: { type: 'basic', username: 'motcua' }, passwordEnv: 'MOTCUA_PASSWORD', password: SECRET,
      paging: { type: 'page', pageParam: 'trang', sizeParam: 'soLuong', size: 2 },
      modifiedSince: { param: 'tuNgay', format: "yyyy-MM-dd'T'HH:mm:ss", field: 'capNhatLuc', overlapMinutes: 10 },
    });
    const pages = await pullAll(opts, null);
    expect(keys(pages)).toEqual(ALL.map((r) => r['soHoSo']));
    expect(seen.map((q) => q.get('trang'))).toEqual(['1', '2']);
    expect(seen[0]?.has('tuNgay')).toBe(false);
    const last = pages.at(-1)!.cursor;
    expect(last).toEqual({ watermark: '2024-03-14T03:41:27.000Z' });
    await pullAll(opts, last);
    expect(seen.at(-1)?.get('tuNgay')).toBe('2024-03-14T10:31:27');
  });

  it('follows a cursor token with a bearer token and resumes from a stored cursor', async () => {
    const calls: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/hoso`, ({ request }) => {
        if (request.headers.get('authorization') !== `Bearer ${SECRET}`) return new HttpResponse(null, { status: 401 });
        const c = new URL(request.url).searchParams.get('after');
        calls.push(c);
        const i = c === null ? 0 : Number(c);
        return HttpResponse.json(page(ALL.slice(i, i + 1), i + 1 < ALL.length ? { tiep: String(i + 1) } : {}));
      }),
    );
    const opts = options({ auth: { type: 'bearer' }, token: SECRET, paging: { type: 'cursor', cursorParam: 'after', cursorPath: 'tiep' } });
    const head = await pullAll(opts, null, 1);
    const tail = await pullAll(opts, JSON.parse(JSON.stringify(head[0]!.cursor)) as RestJsonCursor);
    expect([...keys(head), ...keys(tail)]).toEqual(ALL.map((r) => r['soHoSo']));
    expect(calls).toEqual([null, '1', '2']);
  });

  it('pages by offset with an API key in the query, and by Link header after a session login (re-login once on 401)', async () => {
    server.use(
      http.get(`${BASE}/hoso`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        if (q.get('api_key') !== SECRET) return new HttpResponse(null, { status: 401 });
        const off = Number(q.get('offset'));
        return HttpResponse.json(page(ALL.slice(off, off + 2)));
      }),
    );
    const byOffset = await pullAll(options({ auth: { type: 'apiKey', in: 'query', name: 'api_key' }, apiKey: SECRET, paging: { type: 'offset', size: 2 } }), null);
    expect(keys(byOffset)).toHaveLength(3);

    let logins = 0;
    let expired = true;
    server.use(
      http.post(`${BASE}/auth/login`, async ({ request }) => {
        const body = (await request.json()) as { user: string; pass: string };
        if (body.pass !== SECRET) return HttpResponse.json({ error: 'sai mật khẩu' }, { status: 401 });
        logins++;
        return HttpResponse.json({ data: { accessToken: `tok-${logins}` } });
      }),
      http.get(`${BASE}/hoso`, ({ request }) => {
        const token = request.headers.get('x-session');
        if (!token) return new HttpResponse(null, { status: 401 });
        if (token === 'tok-1' && expired) {
          expired = false;
          return new HttpResponse(null, { status: 401 });
        }
        const n = Number(new URL(request.url).searchParams.get('p') ?? '1');
        const next = n * 2 < ALL.length ? { link: `<${BASE}/hoso?p=${n + 1}>; rel="next"` } : undefined;
        return HttpResponse.json(page(ALL.slice((n - 1) * 2, n * 2)), next ? { headers: next } : {});
      }),
    );
    const session = options({
      auth: { type: 'session', loginPath: 'auth/login', loginBody: '{"user":"{username}","pass":"{password}"}', username: 'gw', tokenPath: 'data.accessToken', header: 'x-session', prefix: '' },
      password: SECRET,
      paging: { type: 'link' },
    });
    expect(keys(await pullAll(session, null))).toHaveLength(3);
    expect(logins).toBe(2);
  });

  it('turns 401 into a configuration error and never shows a secret, even when the server echoes it', async () => {
    server.use(http.get(`${BASE}/hoso`, ({ request }) => new HttpResponse(`denied: ${request.url} ${request.headers.get('authorization')}`, { status: 401 })));
    const err = await failureOf(pullAll(options({ auth: { type: 'apiKey', in: 'query', name: 'key' }, apiKey: SECRET }), null));
    expect(err).toBeInstanceOf(ConfigError);
    expect(`${err.message} ${String(err.stack)}`).not.toContain(SECRET);
    const basic = await failureOf(pullAll(options({ auth: { type: 'basic', username: 'motcua' }, password: SECRET }), null));
    expect(basic.message).not.toContain(Buffer.from(`motcua:${SECRET}`).toString('base64'));
    const unresolved = await failureOf(pullAll(options({ auth: { type: 'bearer' }, tokenEnv: 'MOTCUA_TOKEN' }), null));
    expect(unresolved).toBeInstanceOf(ConfigError);
    expect(unresolved.message).toContain('MOTCUA_TOKEN');
  });

  it('waits for Retry-After on 429, retries a 500, and carries on', async () => {
    const faults = [429, 500];
    server.use(
      http.get(`${BASE}/hoso`, () => {
        const f = faults.shift();
        if (f === 429) return new HttpResponse('chậm lại', { status: 429, headers: { 'retry-after': '1' } });
        if (f === 500) return new HttpResponse('lỗi', { status: 500 });
        return HttpResponse.json(page(ALL));
      }),
    );
    const t = Date.now();
    expect(keys(await pullAll(options({}), null))).toHaveLength(3);
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);
  });

  it('fails clearly on a records path that is not an array, and keeps a non-object record with its issue', async () => {
    server.use(http.get(`${BASE}/hoso`, () => HttpResponse.json({ ketQua: { danhSach: 'không có' } })));
    const err = await failureOf(pullAll(options({}), null));
    expect(err).toBeInstanceOf(UpstreamSchemaError);
    expect(err.message).toContain('$.ketQua.danhSach');
    server.use(http.get(`${BASE}/hoso`, () => HttpResponse.json({ ketQua: { danhSach: [42, ALL[0]] } })));
    const [p] = await pullAll(options({}), null);
    expect(p?.records[0]).toMatchObject({ key: null, parseIssues: [{ path: '', message: expect.stringContaining('must be an object') }] });
    expect(p?.records[1]?.key).toBe(ALL[0]!['soHoSo']);
  });
});

describe('rest-json check', () => {
  it('calls the records endpoint once, and names refused credentials as a configuration error', async () => {
    server.use(http.get(`${BASE}/hoso`, ({ request }) => (request.headers.get('authorization') === `Bearer ${SECRET}` ? HttpResponse.json(page([])) : new HttpResponse(null, { status: 403 }))));
    await expect(restJsonAdapter.check!(options({ auth: { type: 'bearer' }, token: SECRET }))).resolves.toBeUndefined();
    await expect(restJsonAdapter.check!(options({ auth: { type: 'bearer' }, token: 'other-token' }))).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('rest-json mapping', () => {
  const map = (raw: unknown, extra: Record<string, unknown> = {}) => restJsonAdapter.map(raw, { sourceId: 's', options: options(extra) } as never);

  it('maps the fixture records to the golden canonical dossiers', () => {
    expect(ALL.map((r) => map(r))).toStrictEqual((GOLDEN as unknown[]).map((value) => ({ ok: true, value })));
  });

  it('reports every issue of a malformed record with the raw field it came from', () => {
    const bad = map({ ...ALL[0], soHoSo: '', ngayNhan: '31/02/2024 08:00', trangThai: 'TAM_DUNG', quaTrinh: [{ thoiDiem: 'hôm qua', noiDung: 'x', nguoiXuLy: 'y', trangThai: '4' }] });
    expect(bad.ok).toBe(false);
    const paths = !bad.ok ? bad.issues.map((i) => i.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['soHoSo', 'ngayNhan', 'trangThai', 'quaTrinh[0].thoiDiem']));
  });

  it('maps records already in the portal format with mapping "portal", and takes source tables over the mapping', () => {
    const portal = JSON.parse(readFileSync(new URL('../../test/fixtures/contract/a-dongbo-first-push.json', import.meta.url), 'utf8')) as { data: unknown[] };
    const out = map(portal.data[0], { mapping: 'portal' });
    expect(out.ok).toBe(true);
    const overridden = map(ALL[0], { tables: { status: { DANG_XU_LY: 5 } } });
    expect(overridden.ok && overridden.value.status.code).toBe(5);
  });
});
