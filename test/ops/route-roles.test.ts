/**
 * One table of every HTTP route of `lienthong serve` (API, intake, dashboard) and the least role
 * that may use it. The test enumerates the routes the app actually has: a route missing from the
 * table fails, and so does a route that answers a caller below its role (or refuses its own role).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp } from '../../src/dashboard/index.ts';
import { createApiKey, findApiKey } from '../../src/http/api-keys.ts';
import { createApp } from '../../src/http/app.ts';
import { reconciliationRoutes } from '../../src/http/routes/reconciliations.ts';
import { reportRoutes } from '../../src/http/routes/reports.ts';
import { createRecordMapping } from '../../src/intake/map.ts';
import { silentLogger } from '../../src/logger.ts';
import { startSpine, type Spine } from '../support/spine.ts';

type Least = 'public' | 'viewer' | 'operator' | 'admin' | 'signed';

/** Written by hand: what each route requires. `signed` = HMAC-signed intake, never an API key. */
const LEAST_ROLE: Record<string, Least> = {
  'GET /': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'POST /ingest/:sourceId': 'signed',
  'GET /api/v1/sources': 'viewer',
  'GET /api/v1/sources/:id': 'viewer',
  'POST /api/v1/sources/:id/runs': 'operator',
  'GET /api/v1/runs': 'viewer',
  'GET /api/v1/runs/:id': 'viewer',
  'GET /api/v1/dossiers': 'viewer',
  'GET /api/v1/dossiers/:code': 'viewer',
  'GET /api/v1/quarantine': 'viewer',
  'POST /api/v1/quarantine/replay': 'operator',
  'GET /api/v1/deliveries': 'viewer',
  'POST /api/v1/deliveries/retry': 'operator',
  'GET /api/v1/api-keys': 'admin',
  'POST /api/v1/api-keys': 'admin',
  'DELETE /api/v1/api-keys/:id': 'admin',
  'GET /api/v1/reports/bieu06': 'viewer',
  'GET /api/v1/reports/indicators': 'viewer',
  'GET /api/v1/reconciliations': 'viewer',
  'GET /api/v1/reconciliations/:id': 'viewer',
  'POST /api/v1/reconciliations': 'operator',
  'POST /dashboard/dang-nhap': 'public',
  // Logging out goes through the dashboard's key check like every page but the login form.
  'POST /dashboard/dang-xuat': 'viewer',
  'GET /dashboard': 'viewer',
  'GET /dashboard/don-vi': 'viewer',
  'GET /dashboard/ho-so': 'viewer',
  'GET /dashboard/cach-ly': 'viewer',
  'GET /dashboard/doi-soat': 'viewer',
  'GET /dashboard/doi-soat/:id': 'viewer',
  'POST /dashboard/hang-doi/gui-lai': 'operator',
  'POST /dashboard/cach-ly/:id/kiem-tra-lai': 'operator',
  'POST /dashboard/doi-soat/:id/sua': 'operator',
};

const ROLES = ['viewer', 'operator', 'admin'] as const;
type Role = (typeof ROLES)[number];
const RANK: Record<Least, number> = { public: 0, signed: 0, viewer: 1, operator: 2, admin: 3 };

let spine: Spine;
let app: ReturnType<typeof createApp>;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  spine = await startSpine({ count: 2 });
  // Built as `lienthong serve` builds it (src/cli/commands/serve.ts).
  app = createApp({ ledger: spine.ledger, config: spine.config, env: spine.env, logger: silentLogger(), mapping: createRecordMapping(spine.env), metrics: async () => '' }, [...reportRoutes, ...reconciliationRoutes]);
  app.route('/', createDashboardApp({ ledger: spine.ledger, config: spine.config, env: spine.env, authenticate: async (key) => (await findApiKey(spine.ledger, key)) ?? undefined }));
  for (const role of ROLES) keys[role] = (await createApiKey(spine.ledger, { name: `roles-${role}`, role })).key;
});
afterAll(() => spine?.close());

/** The routes the app answers (middleware entries, method ALL, left out), as `METHOD /path`. */
function actualRoutes(): string[] {
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

async function call(route: string, role: Role | null): Promise<number> {
  const [method, pattern] = route.split(' ') as [string, string];
  // Path parameters get values that exist nowhere: an allowed caller gets 400/404, never a side effect.
  const path = pattern.replace(/:[A-Za-z]+/g, '999999');
  const dashboard = path.startsWith('/dashboard');
  const headers = new Headers({ origin: 'http://localhost' });
  if (role) headers.set('authorization', `Bearer ${keys[role]}`);
  let body: string | undefined;
  if (method !== 'GET') {
    headers.set('content-type', dashboard ? 'application/x-www-form-urlencoded' : 'application/json');
    // The login form carries its key in the form, not in a header.
    body = pattern.endsWith('/dang-nhap') ? `key=${keys.viewer}` : dashboard ? 'id=999999' : '{}';
  }
  const res = await app.request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  await res.arrayBuffer();
  return res.status;
}

describe('every route and its least role', () => {
  it('the table lists exactly the routes the app has', () => {
    expect(actualRoutes()).toEqual(Object.keys(LEAST_ROLE).sort());
  });

  it.each(Object.entries(LEAST_ROLE))('%s: %s', async (route, least) => {
    if (least === 'public') {
      expect([401, 403]).not.toContain(await call(route, null));
      return;
    }
    const anonymous = await call(route, null);
    if (least === 'signed') {
      // An unknown source answers 404 to everyone: an API key, even admin, changes nothing.
      expect(anonymous).toBe(404);
      for (const role of ROLES) expect(await call(route, role), `${role} key on signed intake`).toBe(anonymous);
      return;
    }
    expect(anonymous).toBe(401);
    for (const role of ROLES) {
      const status = await call(route, role);
      if (RANK[role] < RANK[least]) expect(status, `${role} below ${least}`).toBe(403);
      else expect([401, 403], `${role} allowed`).not.toContain(status);
    }
  });
});
