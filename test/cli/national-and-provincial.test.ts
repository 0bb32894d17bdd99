/**
 * Tried as a new user would: one configuration file with the national portal (session style,
 * password) and a provincial proxy (bare-array, OAuth2 client credentials, answering "-1" busy and
 * "-3" for dossiers an older connector already sent), a folder of exports, and one
 * `lienthong sync`. Every dossier must end on both portals as the source has it; then
 * `reconcile` agrees for each target. Runs on PGlite, or on PostgreSQL with DATABASE_URL.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { cli } from '../support/cli.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

let dir: string;
let national: PortalSim;
let provincial: PortalSim;
let pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
const savedUrl = process.env['DATABASE_URL'];
const records = [...generateDossiers({ count: 10, seed: 61 })];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-two-'));
  national = await startPortalSim({ port: 0, username: 'lienthong', password: 'mk-quoc-gia' });
  // The older connector had already sent the first three to the province.
  provincial = await startPortalSim({ port: 0, dialect: ['oauth2', 'busy-200', 'exists-3'], clientId: 'lt-h22', clientSecret: 'lgsp-secret-77', busyEvery: 5, preload: records.slice(0, 3).map(({ QuaTrinhXuLy: _p, ...r }) => r) });
  pg = await createPostgresDatabase();
  if (pg) process.env['DATABASE_URL'] = pg.url;
  process.env['NATIONAL_PASSWORD'] = 'mk-quoc-gia';
  process.env['LGSP_CLIENT_SECRET'] = 'lgsp-secret-77';
});
afterEach(async () => {
  if (savedUrl === undefined) delete process.env['DATABASE_URL'];
  else process.env['DATABASE_URL'] = savedUrl;
  await national.close();
  await provincial.close();
  await pg?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('a national session target and a provincial OAuth2 bare-array target in one sync', () => {
  it('delivers every exported dossier to both, each as the source has it, and reconcile agrees per target', async () => {
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'exports', 'ho-so.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const file = join(dir, 'lienthong.config.json');
    await writeFile(
      file,
      JSON.stringify({
        database: 'pglite:./db',
        sources: [{ id: 'mot-cua', adapter: 'dvcqg-file', options: { path: './exports' } }],
        targets: [
          { id: 'national', name: 'Cổng DVC quốc gia', style: 'session', baseUrl: national.url, unitCode: '000.00.00.H22', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 6, minDelayMs: 10, maxDelayMs: 50 } },
          {
            id: 'lgsp',
            name: 'Cổng DVC tỉnh (LGSP)',
            style: 'bare-array',
            baseUrl: provincial.url,
            lookupPath: '/TraCuuHoSo',
            unitCode: '000.00.00.H22',
            auth: { type: 'oauth2-client-credentials', tokenUrl: `${provincial.url}/oauth2/token`, clientId: 'lt-h22', clientSecretEnv: 'LGSP_CLIENT_SECRET' },
            answers: [
              { errorCode: '-1', messageMatches: 'đang bận|thử lại', means: 'retry' },
              { errorCode: '-3', means: 'exists' },
            ],
            retry: { maxAttempts: 6, minDelayMs: 10, maxDelayMs: 50 },
          },
        ],
      }),
    );
    const { code, out, err } = await cli('sync', '--config', file, '--json');
    expect(err).not.toContain('lgsp-secret-77');
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { targets: Array<{ id: string; delivered: number; dead: number; pending: number }> };
    expect(summary.targets.map((t) => [t.id, t.delivered, t.dead, t.pending])).toEqual([
      ['national', 10, 0, 0],
      ['lgsp', 10, 0, 0],
    ]);
    for (const r of records) {
      const { QuaTrinhXuLy: progress, ...dossier } = r;
      for (const sim of [national, provincial]) {
        const held = sim.dossier(r.MaHoSo);
        expect(held?.record.TrangThaiHoSo).toBe(dossier.TrangThaiHoSo);
        expect(held?.record.TrichYeuHoSo).toBe(dossier.TrichYeuHoSo);
        expect(held?.progress.length).toBe(progress?.length ?? 0);
      }
    }
    // The preloaded three were updated in place ("-3" read as exists), not refused.
    for (const r of records.slice(0, 3)) expect(provincial.dossier(r.MaHoSo)?.isUpdatingSeen).toContain('True');

    for (const target of ['national', 'lgsp']) {
      const rec = await cli('reconcile', '--config', file, '--target', target, '--from', '2026-01-01', '--to', '2026-12-31', '--deep', '--json');
      expect(JSON.parse(rec.out).differences).toEqual([]);
      expect(rec.code).toBe(0);
    }
  });
});
