/**
 * The client against the portal simulator's real-portal dialects (src/portal-sim/dialects.ts):
 * OAuth2 proxies, "-1" busy in a 200, "-2" expiry with wording of its own, "-3" exists, session
 * lifetimes and windows-1258 answers. Each case is also run without the target's settings, to
 * show what the built-in reading would have done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalDossier } from '../../schemas/portal.ts';
import { ConfigError, SessionExpiredError, UpstreamHttpError, UpstreamRejectedError } from '../errors.ts';
import { startPortalSim, type PortalSim } from '../portal-sim/index.ts';
import type { SimDialect } from '../portal-sim/dialects.ts';
import { createPortalClient, type PortalClient, type PortalExchange } from './index.ts';
import { bareTarget, fixture, sessionTarget } from './test-helpers.ts';

const A = fixture<{ data: PortalDossier[] }>('a-dongbo-first-push').data[0]!;
const B = fixture<{ data: PortalDossier[] }>('b-dongbo-update-online-paid').data[0]!;
const SECRET = 'bí-mật-client-9f2c';
const PASSWORD = 'mk-phien-7731';
const env = { SIM_PASSWORD: PASSWORD, LGSP_SECRET: SECRET };

let sims: PortalSim[] = [];
let clients: PortalClient[] = [];
let exchanges: PortalExchange[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
  clients = [];
  exchanges = [];
});

async function sim(dialect: SimDialect[], extra: Record<string, unknown> = {}): Promise<PortalSim> {
  const s = await startPortalSim({ port: 0, seed: 3, dialect, username: 'lienthong', password: PASSWORD, clientSecret: SECRET, ...extra });
  sims.push(s);
  return s;
}

function client(target: ReturnType<typeof sessionTarget>, now?: () => number): PortalClient {
  const c = createPortalClient(target, { env, onExchange: (e) => void exchanges.push(e), ...(now ? { now } : {}) });
  clients.push(c);
  return c;
}

const oauth = (s: PortalSim, extra: Record<string, unknown> = {}) => ({
  type: 'oauth2-client-credentials',
  tokenUrl: `${s.url}/oauth2/token`,
  clientId: 'lienthong',
  clientSecretEnv: 'LGSP_SECRET',
  ...extra,
});

const logins = () => exchanges.filter((e) => e.service === 'login');

describe('auth: oauth2-client-credentials (a provincial proxy)', () => {
  it('fetches one token form-encoded for concurrent calls, sends it as Bearer, and never stores the secret or the token', async () => {
    const s = await sim(['oauth2']);
    const c = client(bareTarget({ baseUrl: s.url, lookupPath: '/TraCuuHoSo', auth: oauth(s, { scope: 'dvc.write' }) }));
    const results = await Promise.all([c.pushDossier(A, false), c.pushDossier(B, false)]);
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok']);
    expect(logins()).toHaveLength(1);
    expect(logins()[0]?.requestBody).toBe('grant_type=client_credentials&client_id=lienthong&client_secret=***&scope=dvc.write');
    expect(s.dossier(A.MaHoSo)?.record).toStrictEqual(A);
    const stored = JSON.stringify(exchanges);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toMatch(/Bearer [A-Za-z0-9]/);
  });

  it('fetches a new token when the portal answers 401 to an expired one, and repeats the call once', async () => {
    const s = await sim(['oauth2']);
    const c = client(bareTarget({ baseUrl: s.url, auth: oauth(s) }));
    await c.pushDossier(A, false);
    s.expireSessions();
    expect((await c.pushDossier(B, false)).outcome).toBe('ok');
    expect(logins()).toHaveLength(2);
    expect(exchanges.filter((e) => e.service === 'DongBoHoSoMC').map((e) => e.httpStatus)).toEqual([200, 401, 200]);
  });

  it('keeps the token until shortly before expires_in, then fetches a new one before calling', async () => {
    const s = await sim(['oauth2'], { tokenTtlSeconds: 60 });
    let t = 1_000_000;
    const c = client(bareTarget({ baseUrl: s.url, auth: oauth(s) }), () => t);
    await c.pushDossier(A, false);
    t += 50_000; // 60 s life, 6 s margin: still good at 50 s
    await c.pushDossier(B, false);
    expect(logins()).toHaveLength(1);
    t += 5_000; // 55 s: inside the margin
    await c.pushDossier({ ...A, TrangThaiHoSo: '4' }, true);
    expect(logins()).toHaveLength(2);
    // No call was refused: the token was renewed before it ran out.
    expect(exchanges.filter((e) => e.httpStatus === 401)).toEqual([]);
  });

  it('sessionTtlSeconds caps the token life below expires_in', async () => {
    const s = await sim(['oauth2'], { tokenTtlSeconds: 3600 });
    let t = 0;
    const c = client(bareTarget({ baseUrl: s.url, auth: oauth(s), sessionTtlSeconds: 600 }), () => t);
    await c.pushDossier(A, false);
    t = 599_000;
    await c.pushDossier(B, false);
    expect(logins()).toHaveLength(1);
    t = 600_000;
    await c.pushDossier({ ...A, TrangThaiHoSo: '4' }, true);
    expect(logins()).toHaveLength(2);
  });

  it('a refused client secret is a rejection that is not retried, naming the token endpoint answer', async () => {
    const s = await sim(['oauth2'], { clientSecret: 'another' });
    const c = client(bareTarget({ baseUrl: s.url, auth: oauth(s) }));
    const err = await c.pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect((err as UpstreamRejectedError).retryable).toBe(false);
    expect((err as Error).message).toContain('token refused: invalid_client');
    expect(s.dossier(A.MaHoSo)).toBeUndefined();
  });

  it('without auth, a bare-array target behind the proxy gets a non-retryable rejection that names targets[].auth', async () => {
    const s = await sim(['oauth2']);
    const c = client(bareTarget({ baseUrl: s.url }));
    const err = await c.pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamHttpError);
    expect((err as UpstreamHttpError).retryable).toBe(false);
    expect((err as Error).message).toContain('HTTP 401');
    expect((err as Error).message).toContain('targets[].auth');
  });

  it('a session target behind an OAuth2 proxy logs in with the token and sends both', async () => {
    const s = await sim(['oauth2']);
    const c = client(sessionTarget({ baseUrl: s.url, username: 'lienthong', passwordEnv: 'SIM_PASSWORD', auth: oauth(s) }));
    expect((await c.pushDossier(A, false)).outcome).toBe('ok');
    expect(logins().map((e) => e.requestBody)).toEqual(['grant_type=client_credentials&client_id=lienthong&client_secret=***', JSON.stringify({ username: 'lienthong', password: '***' })]);
  });

  it('a missing secret variable is a ConfigError naming the target and the variable', async () => {
    const s = await sim(['oauth2']);
    expect(() => createPortalClient(bareTarget({ baseUrl: s.url, auth: oauth(s, { clientSecretEnv: 'NOT_SET' }) }), { env: {} })).toThrow(ConfigError);
    expect(() => createPortalClient(bareTarget({ baseUrl: s.url, auth: oauth(s, { clientSecretEnv: 'NOT_SET' }) }), { env: {} })).toThrow(/target "hg": environment variable NOT_SET/);
  });
});

describe('answers are data (targets[].answers)', () => {
  it('"-1" busy in an HTTP 200 is a retryable answer with a rule, a final rejection without one', async () => {
    const s = await sim(['busy-200'], { busyEvery: 1 });
    const rules = [{ errorCode: '-1', messageMatches: 'đang bận|thử lại', means: 'retry' }];
    const withRule = await client(bareTarget({ baseUrl: s.url, answers: rules }))
      .pushDossier(A, false)
      .catch((e: unknown) => e);
    expect(withRule).toBeInstanceOf(UpstreamRejectedError);
    expect((withRule as UpstreamRejectedError).retryable).toBe(true);
    const without = await client(bareTarget({ baseUrl: s.url }))
      .pushDossier(A, false)
      .catch((e: unknown) => e);
    expect((without as UpstreamRejectedError).retryable).toBe(false);
  });

  it('"-2" with wording of its own is a session to renew with a rule: the client logs in again and the call goes through', async () => {
    const s = await sim(['expiry-2']);
    const target = (answers: unknown[]) => sessionTarget({ baseUrl: s.url, username: 'lienthong', passwordEnv: 'SIM_PASSWORD', answers });
    const c = client(target([{ errorCode: '-2', means: 'session_expired' }]));
    await c.pushDossier(A, false);
    s.expireSessions();
    expect((await c.pushDossier(B, false)).outcome).toBe('ok');
    expect(logins()).toHaveLength(2);

    const plain = client(target([]));
    await plain.pushDossier({ ...A, MaHoSo: `${A.MaHoSo}-2` }, false);
    s.expireSessions();
    const err = await plain.pushDossier({ ...B, MaHoSo: `${B.MaHoSo}-2` }, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect(err).not.toBeInstanceOf(SessionExpiredError);
  });

  it('"-3" without "đã tồn tại" means exists on an insert with a rule; an update is never taken for one', async () => {
    const s = await sim(['exists-3'], { preload: [A] });
    const c = client(bareTarget({ baseUrl: s.url, answers: [{ errorCode: '-3', means: 'exists' }] }));
    const r = await c.pushDossier(A, false);
    expect(r).toMatchObject({ outcome: 'exists', errorCode: '-3' });
    expect(r.message).toContain('Trùng mã hồ sơ');
    expect((await c.pushDossier(A, true)).outcome).toBe('ok');

    const plain = client(bareTarget({ baseUrl: s.url }));
    await expect(plain.pushDossier(A, false)).rejects.toBeInstanceOf(UpstreamRejectedError);
  });

  it('first match wins and a rule with httpStatus reads non-2xx answers', async () => {
    const s = await sim([]);
    s.setFaults({ p503: 1 });
    const c = client(
      bareTarget({
        baseUrl: s.url,
        answers: [
          { httpStatus: 503, means: 'reject' },
          { httpStatus: 503, means: 'retry' },
        ],
      }),
    );
    const err = await c.pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect((err as UpstreamRejectedError).retryable).toBe(false);
  });
});

describe('sessionTtlSeconds (session style)', () => {
  it('logs in again after the set lifetime, before the portal refuses the session', async () => {
    const s = await sim([]);
    let t = 0;
    const c = client(sessionTarget({ baseUrl: s.url, username: 'lienthong', passwordEnv: 'SIM_PASSWORD', sessionTtlSeconds: 600 }), () => t);
    await c.pushDossier(A, false);
    t = 599_999;
    await c.pushDossier(B, false);
    expect(logins()).toHaveLength(1);
    t = 600_000;
    await c.pushDossier({ ...A, TrangThaiHoSo: '4' }, true);
    expect(logins()).toHaveLength(2);
  });
});

describe('answers decoded with their Content-Type charset', () => {
  it('reads a windows-1258 answer as the same NFC Vietnamese text the portal holds', async () => {
    const s = await sim(['windows-1258', 'exists-3']);
    const c = client(bareTarget({ baseUrl: s.url, lookupPath: '/TraCuuHoSo' }));
    await c.pushDossier(A, false);
    const found = await c.lookup(A.MaHoSo);
    expect(found.found).toBe(true);
    const item = (found.result as Array<Record<string, unknown>>)[0]!;
    expect(A.DonViXuLy).toMatch(/[ăâđêôơưạ-ỹ]/u);
    expect(item['DonViXuLy']).toBe(A.DonViXuLy);
    // The "-3" answer's message (windows-1258 on the wire) is read as Vietnamese, not mojibake.
    const dup = await c.pushDossier(A, false).catch((e: unknown) => e);
    expect((dup as UpstreamRejectedError).portalMessage).toBe(`Trùng mã hồ sơ ${A.MaHoSo}`);
  });
});

describe('review fixes', () => {
  it('a bare-array target refused with a fresh token too is a rejection that is not retried', async () => {
    const s = await sim(['oauth2']);
    s.setFaults({ pExpireSession: 1 }); // every token refused, fresh or not
    const c = client(bareTarget({ baseUrl: s.url, auth: oauth(s) }));
    const err = await c.pushDossier(A, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect((err as UpstreamRejectedError).retryable).toBe(false);
    expect((err as Error).message).toContain('refused with a fresh token too');
    expect(logins()).toHaveLength(2);
  });
});

