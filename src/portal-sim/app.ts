/**
 * The simulated national portal as a hono app: both contract styles (§2.1 session envelope,
 * §2.2 bare array) and `TraCuuHoSo`, with faults on demand. Runs in-process with `app.request()`
 * or on loopback through `startPortalSim`.
 */
import { Hono, type Context } from 'hono';
import { PORTAL_SERVICES, type PortalService } from '../../schemas/portal.ts';
import { faultAfter, faultBefore, faultSession, type SimEnv } from './faults.ts';
import { checkUnit, lookupDossier, MSG_SESSION, pushDossiers, pushProgress, reject, type SimAnswer } from './handlers.ts';
import { reportingRoutes } from './reporting.ts';
import { encodeWindows1258, MSG_BUSY, MSG_EXPIRED_2, OAUTH_TOKEN_PATH } from './dialects.ts';
import { SimState } from './state.ts';
import type { PortalSimControl, PortalSimOptions, SimService } from './types.ts';

type Ctx = Context<SimEnv>;

export const DEFAULT_SESSION_PATHS = { login: '/auth', service: '/service' } as const;
export const DEFAULT_BARE_PATHS = {
  insert: '/DongBoHoSoMC',
  update: '/DongBoHoSoMC',
  progress: '/CapNhatTienDoHoSoMC',
  lookup: '/TraCuuHoSo',
} as const;

/** Parsed JSON body, or a ready 400 answer when the body is not JSON. */
async function readJson(c: Ctx, service: SimService): Promise<{ body: unknown } | { answer: SimAnswer }> {
  try {
    return { body: JSON.parse(await c.req.text()) as unknown };
  } catch {
    return { answer: { ...reject(service, '-2', 'Nội dung yêu cầu không phải JSON hợp lệ'), status: 400 } };
  }
}

/** Sends an answer, unless the lost-ack fault swallows it; counts the call either way. */
function respond(state: SimState, c: Ctx, answer: SimAnswer): Response {
  const lost = faultAfter(state, c, answer);
  state.count(answer.service, lost ? 'fault_lost_ack' : answer.outcome);
  if (lost) return lost;
  if (state.has('windows-1258')) {
    const bytes = encodeWindows1258(JSON.stringify(answer.body));
    return new Response(new Uint8Array(bytes), {
      status: answer.status,
      headers: { 'content-type': 'application/json; charset=windows-1258' },
    });
  }
  return c.json(answer.body, answer.status as 200);
}

/** The `oauth2` dialect: a bearer token is needed on every service route; null = go on. */
function tokenCheck(state: SimState, c: Ctx, service: SimService): SimAnswer | null {
  if (!state.has('oauth2')) return null;
  // pExpireSession expires bearer tokens too: a proxy that revokes a token before its expires_in.
  if (state.draw(state.faults.pExpireSession)) state.expireToken(c.req.header('authorization'));
  const status = state.tokenStatus(c.req.header('authorization'));
  if (status === 'valid') return null;
  if (status === 'expired' && state.has('expiry-2')) return reject(service, '-2', MSG_EXPIRED_2, 'expired_token');
  const outcome = status === 'expired' ? 'expired_token' : 'invalid_token';
  return { ...reject(service, '-1', status === 'expired' ? 'Unauthorized: token đã hết hạn' : 'Unauthorized: thiếu hoặc sai token', outcome), status: 401 };
}

/** The `busy-200` dialect: every busyEvery-th push is answered "-1" busy in a 200; null = go on. */
function busyCheck(state: SimState, service: SimService): SimAnswer | null {
  if (!state.has('busy-200')) return null;
  state.pushCalls += 1;
  return state.pushCalls % state.busyEvery === 0 ? reject(service, '-1', MSG_BUSY, 'busy') : null;
}

function tokenRoute(app: Hono<SimEnv>, state: SimState): void {
  app.post(OAUTH_TOKEN_PATH, async (c) => {
    const fault = await faultBefore(state, c, 'token');
    if (fault) return fault;
    const form = new URLSearchParams(await c.req.text());
    const json = (status: number, body: Record<string, unknown>, outcome: 'ok' | 'bad_credentials' | 'rejected') => {
      state.count('token', outcome);
      return c.json(body, status as 200);
    };
    if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return json(400, { error: 'invalid_request', error_description: 'form-encoded body expected' }, 'rejected');
    }
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' }, 'rejected');
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (basic) {
      const [u, ...p] = Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p.join(':'));
    }
    if (id !== state.clientId || secret !== state.clientSecret) return json(401, { error: 'invalid_client' }, 'bad_credentials');
    return json(200, { access_token: state.issueToken(), token_type: 'Bearer', expires_in: state.tokenTtlSeconds, scope: form.get('scope') ?? '' }, 'ok');
  });
}

function asObject(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function sessionRoutes(app: Hono<SimEnv>, state: SimState, paths: { login: string; service: string }): void {
  app.post(paths.login, async (c) => {
    const parsed = await readJson(c, 'login');
    if ('answer' in parsed) return respond(state, c, parsed.answer);
    const fault = await faultBefore(state, c, 'login');
    if (fault) return fault;
    const { username, password } = asObject(parsed.body);
    if (username !== state.username || password !== state.password) {
      return respond(state, c, reject('login', '-1', 'Sai tên đăng nhập hoặc mật khẩu', 'bad_credentials'));
    }
    const body = { error_code: 0, message: 'Thành công', session: state.issueSession() };
    return respond(state, c, { status: 200, body, service: 'login', outcome: 'ok', stored: false });
  });

  app.post(paths.service, async (c) => {
    const parsed = await readJson(c, 'unknown');
    if ('answer' in parsed) return respond(state, c, parsed.answer);
    const env = asObject(parsed.body);
    const known = PORTAL_SERVICES.includes(env.service as PortalService);
    const service: SimService = known ? (env.service as PortalService) : 'unknown';
    const fault = await faultBefore(state, c, service);
    if (fault) return fault;
    const noToken = tokenCheck(state, c, service);
    if (noToken) return respond(state, c, noToken);
    faultSession(state, env.session);
    const session = state.sessionStatus(env.session);
    // A session the portal never issued (or forgot) gets HTTP 401; an expired one gets the
    // portal-style rejection in a 200 — both shapes are seen in the wild.
    if (session === 'unknown') {
      return respond(state, c, { ...reject(service, '-1', 'Unauthorized: phiên làm việc không tồn tại', 'invalid_session'), status: 401 });
    }
    if (session === 'expired') {
      const expired = state.has('expiry-2') ? reject(service, '-2', MSG_EXPIRED_2, 'expired_session') : reject(service, '-1', MSG_SESSION, 'expired_session');
      return respond(state, c, expired);
    }
    if (!known) {
      return respond(state, c, reject(service, '-2', `Dịch vụ ${JSON.stringify(env.service) ?? 'undefined'} không được hỗ trợ`));
    }
    const badUnit = checkUnit(state, service, env.madonvi);
    if (badUnit) return respond(state, c, badUnit);
    const unit = env.madonvi as string;
    if (service === 'DongBoHoSoMC') return respond(state, c, busyCheck(state, service) ?? pushDossiers(state, unit, env.isUpdating, env.data));
    if (service === 'CapNhatTienDoHoSoMC') return respond(state, c, pushProgress(state, env.data));
    return respond(state, c, lookupDossier(state, env.mahoso));
  });
}

function bareRoutes(app: Hono<SimEnv>, state: SimState, paths: PortalSimOptions['barePaths'] & object): void {
  const pushRoute = (path: string, defaultUpdating: 'True' | 'False') =>
    app.post(path, async (c) => {
      const parsed = await readJson(c, 'DongBoHoSoMC');
      if ('answer' in parsed) return respond(state, c, parsed.answer);
      const fault = await faultBefore(state, c, 'DongBoHoSoMC');
      if (fault) return fault;
      const noToken = tokenCheck(state, c, 'DongBoHoSoMC');
      if (noToken) return respond(state, c, noToken);
      const badUnit = checkUnit(state, 'DongBoHoSoMC', c.req.query('MaDinhDanhDV'));
      if (badUnit) return respond(state, c, badUnit);
      const busy = busyCheck(state, 'DongBoHoSoMC');
      if (busy) return respond(state, c, busy);
      const isUpdating = c.req.query('isUpdating') ?? defaultUpdating;
      return respond(state, c, pushDossiers(state, c.req.query('MaDinhDanhDV') as string, isUpdating, parsed.body));
    });
  // TD-style deployments have separate insert and update URLs; HG uses one URL with ?isUpdating=.
  if (paths.update !== paths.insert) pushRoute(paths.update, 'True');
  pushRoute(paths.insert, 'False');

  app.post(paths.progress, async (c) => {
    const parsed = await readJson(c, 'CapNhatTienDoHoSoMC');
    if ('answer' in parsed) return respond(state, c, parsed.answer);
    const fault = await faultBefore(state, c, 'CapNhatTienDoHoSoMC');
    if (fault) return fault;
    const noToken = tokenCheck(state, c, 'CapNhatTienDoHoSoMC');
    if (noToken) return respond(state, c, noToken);
    const badUnit = checkUnit(state, 'CapNhatTienDoHoSoMC', c.req.query('MaDinhDanhDV'));
    if (badUnit) return respond(state, c, badUnit);
    return respond(state, c, pushProgress(state, parsed.body));
  });

  app.on(['GET', 'POST'], paths.lookup, async (c) => {
    const fault = await faultBefore(state, c, 'TraCuuHoSo');
    if (fault) return fault;
    const noToken = tokenCheck(state, c, 'TraCuuHoSo');
    if (noToken) return respond(state, c, noToken);
    return respond(state, c, lookupDossier(state, c.req.query('mahoso')));
  });
}

/** Builds the app over an existing state (the server keeps the state to stop hangs on close). */
export function buildPortalSimApp(state: SimState, opts: PortalSimOptions = {}): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  if (state.has('oauth2')) tokenRoute(app, state);
  sessionRoutes(app, state, opts.sessionPaths ?? DEFAULT_SESSION_PATHS);
  bareRoutes(app, state, opts.barePaths ?? DEFAULT_BARE_PATHS);
  reportingRoutes(app, state);
  app.notFound((c) => c.json({ error_code: '-404', message: `Không có dịch vụ tại ${c.req.method} ${c.req.path}` }, 404));
  return app;
}

/**
 * An in-process simulator for tests that drive it with `app.request()`.
 *
 * @example
 * const { app, control } = createPortalSimApp();
 * const res = await app.request('/auth', { method: 'POST', body: JSON.stringify({ username: 'lienthong', password: 'secret' }) });
 * control.stats().calls.login?.ok; // 1
 */
export function createPortalSimApp(opts: PortalSimOptions = {}): { app: Hono<SimEnv>; control: PortalSimControl } {
  const state = new SimState(opts);
  return { app: buildPortalSimApp(state, opts), control: state.control() };
}
