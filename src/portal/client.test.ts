/**
 * How the client judges answers and failures (msw, no network).
 */
import { delay, http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { ConfigError, SessionExpiredError, UpstreamHttpError, UpstreamNetworkError, UpstreamRejectedError, UpstreamSchemaError } from '../errors.ts';
import { createPortalClient, UpstreamTimeoutError, type PortalClient, type PortalExchange } from './index.ts';
import { BASE, bareTarget, ENV, fixture, loginHandler, recorder, sessionTarget } from './test-helpers.ts';

const rec = recorder();
const server = setupServer();
const record = fixture<{ data: PortalDossier[] }>('a-dongbo-first-push').data[0]!;
const progress = fixture<{ data: PortalProgress[] }>('c-progress-history').data;
const clients: PortalClient[] = [];
let exchanges: PortalExchange[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  server.resetHandlers();
  rec.seen.length = 0;
  exchanges = [];
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(() => server.close());

function client(target = sessionTarget()): PortalClient {
  const c = createPortalClient(target, { env: ENV, onExchange: (e) => void exchanges.push(e) });
  clients.push(c);
  return c;
}

/** The service endpoint answers each call with the next of `answers` (the last one repeats). */
function service(...answers: Array<(session: string) => Response | Promise<Response>>): void {
  let n = 0;
  const handler = async ({ request }: { request: Request }) => {
    const c = await rec.record(request);
    const answer = answers[Math.min(n, answers.length - 1)]!;
    n += 1;
    return answer(c.text.startsWith('{') ? (JSON.parse(c.text) as { session?: string }).session ?? '' : '');
  };
  server.use(loginHandler(rec, [{ error_code: 0, session: 's1' }, { error_code: '0', session: 's2' }]), http.post(`${BASE}/service`, handler), http.post(`${BASE}/DongBoHoSoMC`, handler));
}
const json = (body: JsonBodyType, init?: ResponseInit) => () => HttpResponse.json(body, init);
const logins = () => rec.seen.filter((c) => c.url.endsWith('/auth')).length;

describe('error_code leniency', () => {
  it.each([0, '0', '00'])('treats error_code %j as success', async (code) => {
    service(json({ error_code: code, message: 'Đồng bộ thành công' }));
    const r = await client().pushDossier(record, false);
    expect(r).toMatchObject({ outcome: 'ok', errorCode: String(code), message: 'Đồng bộ thành công', httpStatus: 200 });
  });

  it('rejects error_code "-1", keeping the portal message, not retryable', async () => {
    service(json({ error_code: '-1', message: 'Mã TTHC không tồn tại trong CSDL quốc gia' }));
    const err = await client().pushDossier(record, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect(err).toMatchObject({ errorCode: '-1', portalMessage: 'Mã TTHC không tồn tại trong CSDL quốc gia', retryable: false });
    expect(exchanges.at(-1)).toMatchObject({ outcome: 'rejected', errorCode: '-1', message: 'Mã TTHC không tồn tại trong CSDL quốc gia' });
  });
});

describe('isUpdating and "đã tồn tại"', () => {
  it.each([
    ['-3', 'Hồ sơ 000.31.38.H56-240715-0012 đã tồn tại'],
    ['3', 'HỒ SƠ ĐÃ TỒN TẠI'],
    ['0', 'Hồ sơ đã tồn tại'.normalize('NFD')],
  ])('reports "exists" for an insert answered %j %j', async (code, message) => {
    service(json({ error_code: code, message }));
    const r = await client().pushDossier(record, false);
    expect(r.outcome).toBe('exists');
    expect(r.errorCode).toBe(code);
    expect(exchanges.at(-1)).toMatchObject({ outcome: 'exists', isUpdating: false });
  });

  it('does not report "exists" for an update (that would loop), but a rejection', async () => {
    service(json(fixture('e-sync-exists')));
    await expect(client().pushDossier(record, true)).rejects.toBeInstanceOf(UpstreamRejectedError);
  });

  it('sends "False" then "True" when the caller re-sends after "exists"', async () => {
    service(json(fixture('e-sync-exists')), json(fixture('e-sync-success')));
    const c = client();
    expect((await c.pushDossier(record, false)).outcome).toBe('exists');
    expect((await c.pushDossier(record, true)).outcome).toBe('ok');
    const sent = rec.seen.filter((s) => s.url.endsWith('/service')).map((s) => (JSON.parse(s.text) as { isUpdating: string }).isUpdating);
    expect(sent).toEqual(['False', 'True']);
  });
});

describe('session handling', () => {
  it('logs in once and reuses the session, also for concurrent calls', async () => {
    service(json({ error_code: 0, message: 'ok' }));
    const c = client();
    await Promise.all([c.pushDossier(record, true), c.pushDossier(record, true), c.lookup('x')]);
    await c.pushProgress(progress);
    expect(logins()).toBe(1);
  });

  it('logs in again once on HTTP 401 and repeats the call with the new session', async () => {
    service((s) => (s === 's1' ? HttpResponse.json({ message: 'Unauthorized' }, { status: 401 }) : HttpResponse.json({ error_code: 0 })));
    const r = await client().pushDossier(record, false);
    expect(r.outcome).toBe('ok');
    expect(logins()).toBe(2);
    expect(exchanges.map((e) => `${e.service}:${e.outcome}:${e.httpStatus}`)).toEqual([
      'login:ok:200',
      'DongBoHoSoMC:http_error:401',
      'login:ok:200',
      'DongBoHoSoMC:ok:200',
    ]);
  });

  it.each(['Phiên làm việc không hợp lệ hoặc đã hết hạn', 'Session expired'])('logs in again on the rejection %j', async (message) => {
    service((s) => HttpResponse.json(s === 's1' ? { error_code: '-1', message } : { error_code: '0' }));
    expect((await client().pushProgress(progress)).outcome).toBe('ok');
    expect(logins()).toBe(2);
  });

  it('logs in again only once: a second refusal is thrown, retryable', async () => {
    service(json({ message: 'Forbidden' }, { status: 403 }));
    const err = await client().lookup('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionExpiredError);
    expect((err as SessionExpiredError).retryable).toBe(true);
    expect(logins()).toBe(2);
  });

  it('throws a non-retryable rejection when the login itself is refused', async () => {
    server.use(http.post(`${BASE}/auth`, () => HttpResponse.json({ error_code: -1, message: 'Sai tên đăng nhập hoặc mật khẩu' })));
    const err = await client().pushDossier(record, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect(err).toMatchObject({ retryable: false, portalMessage: 'login refused: Sai tên đăng nhập hoặc mật khẩu' });
  });

  it('refuses to start without the password variable, naming it', () => {
    expect(() => createPortalClient(sessionTarget(), { env: {} })).toThrow(ConfigError);
    expect(() => createPortalClient(sessionTarget(), { env: {} })).toThrow(/PORTAL_PASSWORD/);
  });
});

describe('HTTP and transport failures', () => {
  it('turns 429 with Retry-After seconds into retryAfterMs', async () => {
    service(() => new HttpResponse('slow down', { status: 429, headers: { 'Retry-After': '17' } }));
    const err = await client(bareTarget()).pushDossier(record, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamHttpError);
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 17_000 });
    expect(exchanges.at(-1)).toMatchObject({ outcome: 'http_error', httpStatus: 429 });
  });

  it.each([
    [503, true],
    [500, true],
    [408, true],
    [400, false],
    [404, false],
  ])('classifies HTTP %i as retryable: %s', async (status, retryable) => {
    service(() => new HttpResponse('<html>error</html>', { status }));
    const err = await client(bareTarget()).pushDossier(record, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamHttpError);
    expect(err).toMatchObject({ status, retryable });
  });

  it('turns a dropped connection into a retryable UpstreamNetworkError', async () => {
    service(() => HttpResponse.error());
    const err = await client(bareTarget()).pushDossier(record, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamNetworkError);
    expect((err as UpstreamNetworkError).retryable).toBe(true);
    expect(exchanges.at(-1)).toMatchObject({ outcome: 'network_error', httpStatus: null });
  });

  it('gives up after timeoutMs with a retryable upstream_timeout', async () => {
    service(async () => {
      await delay(5000);
      return HttpResponse.json({ error_code: 0 });
    });
    const t0 = performance.now();
    const err = await client(bareTarget({ timeoutMs: 150 })).pushDossier(record, false).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(err).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect(exchanges.at(-1)?.outcome).toBe('timeout');
  });

  it('treats a 2xx body that is not JSON as a schema error', async () => {
    service(() => new HttpResponse('<html>Maintenance</html>', { status: 200 }));
    const err = await client().pushDossier(record, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamSchemaError);
    expect(exchanges.at(-1)?.outcome).toBe('schema_error');
  });

  it('accepts a bare-array portal answering plain text "thành công" (TD progress URL)', async () => {
    server.use(http.post(`${BASE}/CapNhatTienDoHoSoMC`, () => new HttpResponse('Cập nhật tiến độ thành công', { status: 200 })));
    const r = await client(bareTarget()).pushProgress(progress);
    expect(r).toMatchObject({ outcome: 'ok', errorCode: '', message: 'Cập nhật tiến độ thành công' });
  });
});

describe('arguments and look-ups', () => {
  it.each([0, 11])('refuses a progress batch of %i items without calling the portal', async (n) => {
    service(json({ error_code: 0 }));
    const items = Array.from({ length: n }, () => progress[0]!);
    await expect(client().pushProgress(items)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(rec.seen).toHaveLength(0);
  });

  it('reports found only for a non-empty result', async () => {
    service(json({ error_code: 0, result: [{ MaHoSo: 'x', TrangThaiHoSo: '4' }] }), json({ error_code: '0', result: [] }));
    const c = client();
    expect(await c.lookup('x')).toEqual({ found: true, result: [{ MaHoSo: 'x', TrangThaiHoSo: '4' }] });
    expect((await c.lookup('y')).found).toBe(false);
  });

  it('looks up with GET ?mahoso= in bare-array style, and says so when it cannot', async () => {
    server.use(http.get(`${BASE}/TraCuuHoSo`, async ({ request }) => (await rec.record(request), HttpResponse.json({ error_code: 0, result: [{}] }))));
    expect((await client(bareTarget({ lookupPath: '/TraCuuHoSo' })).lookup('000.31.38.H56-240715-0012')).found).toBe(true);
    expect(rec.seen[0]!.url).toBe(`${BASE}/TraCuuHoSo?mahoso=000.31.38.H56-240715-0012`);
    const none = await client(bareTarget()).lookup('x');
    expect(none.found).toBe(false);
    expect(JSON.stringify(none.result)).toContain('no lookupPath');
  });
});
