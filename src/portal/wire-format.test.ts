/**
 * The client's request bodies, field by field, against the contract fixtures A–D (contract §13).
 */
import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { createPortalClient, type PortalExchange } from './index.ts';
import { BASE, bareTarget, ENV, fixture, loginHandler, PASSWORD, recorder, sessionTarget } from './test-helpers.ts';

type Envelope = { session: string; madonvi: string; service: string; isUpdating?: string; data: unknown[] };

const rec = recorder();
const server = setupServer();
const success = fixture('e-sync-success');

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  rec.seen.length = 0;
});
afterAll(() => server.close());

function answerAll(): void {
  server.use(
    loginHandler(rec),
    http.post(`${BASE}/service`, async ({ request }) => {
      const body = JSON.parse((await rec.record(request)).text) as { service: string };
      return HttpResponse.json(body.service === 'TraCuuHoSo' ? { error_code: 0, result: [] } : success);
    }),
    http.post(`${BASE}/:op`, async ({ request }) => (await rec.record(request), HttpResponse.json(success))),
  );
}

const DOSSIER_FIXTURES = [
  ['A', 'a-dongbo-first-push'],
  ['B', 'b-dongbo-update-online-paid'],
  ['D', 'd-dongbo-supplement'],
] as const;

describe('session style wire format', () => {
  it.each(DOSSIER_FIXTURES)('sends fixture %s as the exact DongBoHoSoMC envelope', async (_name, file) => {
    answerAll();
    const fx = fixture<Envelope>(file);
    const client = createPortalClient(sessionTarget(), { env: ENV });
    const r = await client.pushDossier(fx.data[0] as PortalDossier, fx.isUpdating === 'True');
    await client.close();

    const [login, call] = rec.seen;
    expect(JSON.parse(login!.text)).toStrictEqual({ ...fixture('e-login-request'), password: PASSWORD });
    expect(call!.url).toBe(`${BASE}/service`);
    expect(JSON.parse(call!.text)).toStrictEqual(fx);
    // Same key order as the contract's sample, byte for byte.
    expect(call!.text).toBe(JSON.stringify(fx));
    const record = fx.data[0] as PortalDossier;
    for (const text of [record.TenTTHC, record.TrichYeuHoSo, record.DonViXuLy]) {
      expect(call!.bytes.includes(Buffer.from(text, 'utf8'))).toBe(true);
    }
    expect(r).toMatchObject({ outcome: 'ok', httpStatus: 200, errorCode: '0', message: 'Đồng bộ thành công' });
    expect(r.requestHash).toBe(createHash('sha256').update(call!.bytes).digest('hex'));
  });

  it('sends fixture C as the exact CapNhatTienDoHoSoMC envelope (no isUpdating)', async () => {
    answerAll();
    const fx = fixture<Envelope>('c-progress-history');
    const client = createPortalClient(sessionTarget(), { env: ENV });
    await client.pushProgress(fx.data as PortalProgress[]);
    expect(JSON.parse(rec.seen[1]!.text)).toStrictEqual(fx);
    expect(rec.seen[1]!.text).toBe(JSON.stringify(fx));
    expect(rec.seen[1]!.bytes.includes(Buffer.from('Ký duyệt-Chuyển kết quả về Bộ phận Một cửa', 'utf8'))).toBe(true);
  });

  it('sends the TraCuuHoSo request of fixture E', async () => {
    answerAll();
    const fx = fixture<{ mahoso: string }>('e-tracuu-request');
    const client = createPortalClient(sessionTarget(), { env: ENV });
    await client.lookup(fx.mahoso);
    expect(JSON.parse(rec.seen[1]!.text)).toStrictEqual(fx);
  });

  it('sends the JSON headers, Charset and dstcode on login and service calls', async () => {
    answerAll();
    const client = createPortalClient(sessionTarget({ dstcode: 'H56-LGSP' }), { env: ENV });
    await client.lookup('x');
    for (const c of rec.seen) {
      expect(c.headers.get('accept')).toBe('application/json');
      expect(c.headers.get('content-type')).toBe('application/json');
      expect(c.headers.get('charset')).toBe('utf-8');
      expect(c.headers.get('dstcode')).toBe('H56-LGSP');
    }
  });

  it('sends text exactly as given, without normalising it', async () => {
    answerAll();
    const record = { ...(fixture<Envelope>('a-dongbo-first-push').data[0] as PortalDossier) };
    const decomposed = 'Tuyển sinh tiểu học'.normalize('NFD');
    record.TenTTHC = decomposed;
    const client = createPortalClient(sessionTarget(), { env: ENV });
    await client.pushDossier(record, false);
    expect(rec.seen[1]!.bytes.includes(Buffer.from(decomposed, 'utf8'))).toBe(true);
    expect(rec.seen[1]!.bytes.includes(Buffer.from(decomposed.normalize('NFC'), 'utf8'))).toBe(false);
  });
});

describe('bare-array style wire format', () => {
  it.each(DOSSIER_FIXTURES)('sends fixture %s as a bare array with MaDinhDanhDV and isUpdating in the query', async (_name, file) => {
    answerAll();
    const fx = fixture<Envelope>(file);
    const client = createPortalClient(bareTarget(), { env: {} });
    await client.pushDossier(fx.data[0] as PortalDossier, fx.isUpdating === 'True');
    const [call] = rec.seen;
    expect(rec.seen).toHaveLength(1);
    expect(call!.url).toBe(`${BASE}/DongBoHoSoMC?MaDinhDanhDV=000.00.00.H56&isUpdating=${fx.isUpdating}`);
    expect(JSON.parse(call!.text)).toStrictEqual(fx.data);
    expect(call!.text).toBe(JSON.stringify(fx.data));
    expect(call!.bytes.includes(Buffer.from((fx.data[0] as PortalDossier).TenTTHC, 'utf8'))).toBe(true);
    expect(call!.headers.get('charset')).toBeNull();
  });

  it('posts to separate insert and update paths when configured', async () => {
    answerAll();
    const client = createPortalClient(bareTarget({ insertPath: '/ThemMoi', updatePath: '/CapNhat' }), { env: {} });
    const record = fixture<Envelope>('b-dongbo-update-online-paid').data[0] as PortalDossier;
    await client.pushDossier(record, false);
    await client.pushDossier(record, true);
    expect(rec.seen.map((c) => c.url)).toEqual([
      `${BASE}/ThemMoi?MaDinhDanhDV=000.00.00.H56&isUpdating=False`,
      `${BASE}/CapNhat?MaDinhDanhDV=000.00.00.H56&isUpdating=True`,
    ]);
  });

  it('sends fixture C as a bare array to the progress path', async () => {
    answerAll();
    const fx = fixture<Envelope>('c-progress-history');
    const client = createPortalClient(bareTarget(), { env: {} });
    await client.pushProgress(fx.data as PortalProgress[]);
    expect(rec.seen[0]!.url).toBe(`${BASE}/CapNhatTienDoHoSoMC?MaDinhDanhDV=000.00.00.H56`);
    expect(JSON.parse(rec.seen[0]!.text)).toStrictEqual(fx.data);
  });

  it('reports the exchange with the hash of the exact body and no secrets', async () => {
    answerAll();
    const seen: PortalExchange[] = [];
    const client = createPortalClient(sessionTarget(), { env: ENV, onExchange: (e) => void seen.push(e) });
    await client.pushDossier(fixture<Envelope>('a-dongbo-first-push').data[0] as PortalDossier, false);
    expect(seen.map((e) => [e.service, e.outcome])).toEqual([
      ['login', 'ok'],
      ['DongBoHoSoMC', 'ok'],
    ]);
    expect(seen[1]).toMatchObject({ target: 'dvcqg', isUpdating: false, httpStatus: 200, errorCode: '0' });
    expect(seen[1]!.requestHash).toBe(createHash('sha256').update(rec.seen[1]!.bytes).digest('hex'));
    // The login hash is not the hash of the real body (which a dictionary could invert).
    expect(seen[0]!.requestHash).not.toBe(createHash('sha256').update(rec.seen[0]!.bytes).digest('hex'));
    const dump = JSON.stringify(seen);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain('3b8f0c2e-5d71-4a9e-b0f4-6a2d9e1c7f35');
  });
});
