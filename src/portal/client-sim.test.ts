/**
 * The client against the real portal simulator on loopback (port 0), both contract styles.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { SessionExpiredError, UpstreamHttpError, UpstreamNetworkError, UpstreamRejectedError } from '../errors.ts';
import { startPortalSim, type PortalSim } from '../portal-sim/index.ts';
import { createPortalClient, UpstreamTimeoutError, type PortalClient, type PortalExchange } from './index.ts';
import { bareTarget, fixture, sessionTarget } from './test-helpers.ts';

const A = fixture<{ data: PortalDossier[] }>('a-dongbo-first-push').data[0]!;
const B = fixture<{ data: PortalDossier[] }>('b-dongbo-update-online-paid').data[0]!;
const C = fixture<{ data: PortalProgress[] }>('c-progress-history').data;
const env = { SIM_PASSWORD: 'secret' };

let sim: PortalSim;
let exchanges: PortalExchange[] = [];
const clients: PortalClient[] = [];

beforeAll(async () => {
  sim = await startPortalSim({ port: 0, seed: 11 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  sim.setFaults({});
  sim.reset();
  exchanges = [];
});
afterAll(() => sim.close());

function session(extra: Record<string, unknown> = {}): PortalClient {
  const target = sessionTarget({ baseUrl: sim.url, username: 'lienthong', passwordEnv: 'SIM_PASSWORD', timeoutMs: 2000, ...extra });
  const c = createPortalClient(target, { env, onExchange: (e) => void exchanges.push(e) });
  clients.push(c);
  return c;
}

function bare(extra: Record<string, unknown> = {}): PortalClient {
  const c = createPortalClient(bareTarget({ baseUrl: sim.url, lookupPath: '/TraCuuHoSo', timeoutMs: 2000, ...extra }), { env: {} });
  clients.push(c);
  return c;
}

describe.each([
  ['session', () => session()],
  ['bare-array', () => bare()],
])('%s style against the simulator', (_style, make) => {
  it('inserts with "False", gets "exists" on a duplicate, then replaces with "True"', async () => {
    const c = make();
    expect((await c.pushDossier(A, false)).outcome).toBe('ok');
    const dup = await c.pushDossier(A, false);
    expect(dup).toMatchObject({ outcome: 'exists', errorCode: '-3', message: `Hồ sơ ${A.MaHoSo} đã tồn tại` });
    expect((await c.pushDossier({ ...A, TrangThaiHoSo: '4' }, true)).outcome).toBe('ok');
    const stored = sim.dossier(A.MaHoSo);
    expect(stored?.isUpdatingSeen).toEqual(['False', 'False', 'True']);
    expect(stored?.pushes).toBe(2);
    expect(stored?.record).toStrictEqual({ ...A, TrangThaiHoSo: '4' });
  });

  it('accepts "True" for a dossier the portal does not hold yet, then its progress and a look-up', async () => {
    const c = make();
    expect((await c.pushDossier(B, true)).outcome).toBe('ok');
    expect((await c.pushProgress(C)).outcome).toBe('ok');
    expect(sim.dossier(B.MaHoSo)?.progress).toStrictEqual(C);
    const found = await c.lookup(B.MaHoSo);
    expect(found.found).toBe(true);
    expect((found.result as Array<Record<string, string>>)[0]).toMatchObject({ MaHoSo: B.MaHoSo, TrangThaiHoSo: '10', NgayKetThucXuLy: B.NgayKetThucXuLy });
    expect((await c.lookup('000.00.00.H56-000000-0000')).found).toBe(false);
  });

  it('gets a rejection naming the dossier for progress of an unknown dossier', async () => {
    const err = await make().pushProgress(C).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect((err as UpstreamRejectedError).portalMessage).toContain(C[0]!.MaHoSo);
  });

  it('gets a rejection naming the field when a record carries a number', async () => {
    const err = await make()
      .pushDossier({ ...A, LoaiDoiTuong: 1 } as unknown as PortalDossier, false)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect((err as UpstreamRejectedError).portalMessage).toContain('LoaiDoiTuong: expected a string, got number');
  });
});

describe('session renewal against the simulator', () => {
  it('logs in again after expireSessions() (error_code -1 "Phiên làm việc …")', async () => {
    const c = session();
    await c.pushDossier(A, false);
    sim.expireSessions();
    expect((await c.pushDossier(A, true)).outcome).toBe('ok');
    expect(sim.stats().calls.login).toEqual({ ok: 2 });
    expect(sim.stats().calls.DongBoHoSoMC).toEqual({ ok: 2, expired_session: 1 });
    expect(exchanges.map((e) => e.outcome)).toEqual(['ok', 'ok', 'rejected', 'ok', 'ok']);
  });

  it('logs in again after the portal forgets its sessions (HTTP 401)', async () => {
    const c = session();
    await c.lookup('x');
    sim.reset();
    expect((await c.pushDossier(A, false)).outcome).toBe('ok');
    expect(sim.stats().calls.DongBoHoSoMC).toEqual({ invalid_session: 1, ok: 1 });
    expect(exchanges.find((e) => e.httpStatus === 401)?.outcome).toBe('http_error');
  });

  it('gives up after one renewal when every session expires at once', async () => {
    sim.setFaults({ pExpireSession: 1 });
    const err = await session().pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionExpiredError);
    expect(sim.stats().calls.login).toEqual({ ok: 2 });
  });
});

describe('faults against the simulator', () => {
  it('classifies 503 as retryable', async () => {
    sim.setFaults({ p503: 1 });
    await expect(bare().pushDossier(A, false)).rejects.toMatchObject({ status: 503, retryable: true });
  });

  it('reads Retry-After from a 429', async () => {
    sim.setFaults({ p429: 1, retryAfterSeconds: 3 });
    const err = await session().pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamHttpError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 3000, retryable: true });
  });

  it('turns a connection reset into a retryable UpstreamNetworkError', async () => {
    sim.setFaults({ pReset: 1 });
    const err = await bare().pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamNetworkError);
    expect((err as UpstreamNetworkError).retryable).toBe(true);
  });

  it('times out on a hang', async () => {
    sim.setFaults({ pHang: 1, hangMs: 10_000 });
    const err = await bare({ timeoutMs: 200 }).pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
  });

  it('fails retryably on a lost acknowledgement, and the retry finds the dossier already there', async () => {
    sim.setFaults({ pLostAck: 1 });
    const c = session();
    const err = await c.pushDossier(A, false).catch((e: unknown) => e);
    expect((err as { retryable?: boolean }).retryable).toBe(true);
    expect(sim.dossier(A.MaHoSo)?.pushes).toBe(1);
    sim.setFaults({});
    expect((await c.pushDossier(A, false)).outcome).toBe('exists');
    expect((await c.pushDossier(A, true)).outcome).toBe('ok');
  });
});
