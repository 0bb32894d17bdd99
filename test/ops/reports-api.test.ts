/**
 * Reports and reconciliations over the API (the routes `serve` adds): run, list, download in each format.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { reconciliationRoutes } from '../../src/http/routes/reconciliations.ts';
import { reportRoutes } from '../../src/http/routes/reports.ts';
import { createRecordMapping } from '../../src/intake/map.ts';
import { silentLogger } from '../../src/logger.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startApi, type ApiFixture } from './support.ts';

let api: ApiFixture;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  api = await startApi({ count: 30 });
  await runSync(api.spine.ledger, api.spine.config, { env: api.spine.env });
  app = createApp({ ledger: api.spine.ledger, config: api.spine.config, env: api.spine.env, logger: silentLogger(), mapping: createRecordMapping({}) }, [...reportRoutes, ...reconciliationRoutes]);
});
afterAll(() => api.spine.close());

const get = (path: string, role: 'viewer' | 'operator' = 'viewer', init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { authorization: `Bearer ${api.keys[role]}`, 'content-type': 'application/json', ...init.headers } });

describe('reports over the API', () => {
  it('answers Biểu 06 of a month as JSON, and as CSV, HTML and XLSX downloads', async () => {
    const json = await get('/api/v1/reports/bieu06?month=2026-10&calendar=calendar');
    expect(json.status).toBe(200);
    const body = (await json.json()) as { rows: unknown[] };
    expect(body.rows.length).toBeGreaterThan(0);
    const csv = await get('/api/v1/reports/bieu06?month=2026-10&format=csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="bieu06-.*\.csv"/);
    const html = await (await get('/api/v1/reports/bieu06?month=2026-10&format=html')).text();
    expect(html).toContain('<table');
    expect(html).not.toMatch(/<link|<script src|https?:\/\//);
    const xlsx = await get('/api/v1/reports/indicators?month=2026-10&format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // a zip
  });

  it('names the missing period', async () => {
    const res = await get('/api/v1/reports/bieu06');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { errors: { path: string }[] } }).error.errors[0]!.path).toBe('query.month');
  });
});

describe('reconciliations over the API', () => {
  it('runs one (operators only), lists it, and downloads it', async () => {
    const body = JSON.stringify({ target: 'national', from: '2026-10-01', to: '2026-10-31' });
    expect((await get('/api/v1/reconciliations', 'viewer', { method: 'POST', body })).status).toBe(403);
    const run = await get('/api/v1/reconciliations', 'operator', { method: 'POST', body });
    expect(run.status).toBe(201);
    const { id } = (await run.json()) as { id: string };
    const list = (await (await get('/api/v1/reconciliations')).json()) as { reconciliations: { id: string }[] };
    expect(list.reconciliations.map((r) => r.id)).toContain(id);
    const one = (await (await get(`/api/v1/reconciliations/${id}`)).json()) as { id: string; counts: unknown[] };
    expect(one.id).toBe(id);
    const csv = await get(`/api/v1/reconciliations/${id.slice(0, 8)}?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await get('/api/v1/reconciliations/ffffffff')).status).toBe(404);
  });

  it("shows a stored portal error with citizen data masked and secrets redacted, in every format", async () => {
    // A dossier the portal never confirmed, whose last error quotes the applicant's CCCD and an echoed password.
    const code = api.spine.records[3]!.MaHoSo;
    await api.spine.ledger.rows(sql`update deliveries set status = 'dead', delivered_version = null, portal_has = false,
      last_error = ${'portal rejected: SoGiayToChuHoSo 079188001234 đã tồn tại ở hồ sơ khác; request {"username":"lienthong","password":"hunter2"}'}
      where dossier_id = (select id from dossiers where code = ${code})`);
    api.spine.sim.forget(code);
    const run = await get('/api/v1/reconciliations', 'operator', { method: 'POST', body: JSON.stringify({ target: 'national', from: '2026-10-01', to: '2026-10-31' }) });
    const { id } = (await run.json()) as { id: string };
    for (const role of ['viewer', 'operator'] as const) {
      for (const format of ['csv', 'html', 'json']) {
        const shown = await (await get(`/api/v1/reconciliations/${id}?format=${format}`, role)).text();
        expect(shown).toContain(code);
        expect(shown).toContain('*********234');
        expect(shown).toContain('[redacted]');
        expect(shown).not.toContain('079188001234');
        expect(shown).not.toContain('hunter2');
      }
    }
  });
});
