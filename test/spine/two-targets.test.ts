/**
 * Provincial and national at once (issue #10 item 5): one config with the national adapter
 * (session style) and a provincial proxy (bare-array, bearer token or OAuth2, `units`), each on its own
 * simulator. One run delivers to both, the provincial one only its units' dossiers; outboxes are
 * independent; reconcile runs per target and never calls a dossier outside a target's units
 * missing there. PGlite, or PostgreSQL with DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config, TargetConfig } from '../../schemas/config.ts';
import { parseConfig } from '../../src/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
let prov: PortalSim | undefined;
afterEach(async () => {
  await prov?.close();
  await spine?.close();
  prov = undefined;
  spine = undefined;
});

const CLIENT_SECRET = 'tinh-bi-mat-0912';
/** The provincial proxy receives these units only (one full code, one prefix of a code). */
const PROVINCE_UNITS = ['000.05.21.H48', '000.12.'];

/** A bearer token as an operator would get one from the proxy (the `oauth2` dialect's token endpoint). */
async function tokenFrom(sim: PortalSim): Promise<string> {
  const res = await fetch(`${sim.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'lienthong', client_secret: CLIENT_SECRET }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function twoTargets(auth: 'bearer' | 'oauth2' = 'bearer'): Promise<{ config: Config; env: Record<string, string> }> {
  spine = await startSpine({ count: 12, seed: 23 });
  prov = await startPortalSim({ port: 0, seed: 7, dialect: ['oauth2'], clientSecret: CLIENT_SECRET, tokenTtlSeconds: 3600 });
  const national = spine.config.targets[0]!;
  const config = parseConfig({
    database: 'pglite:memory',
    sources: spine.config.sources,
    targets: [
      { ...national, name: 'Cổng DVC quốc gia' },
      {
        id: 'province',
        name: 'LGSP tỉnh',
        style: 'bare-array',
        baseUrl: prov.url,
        unitCode: '000.00.00.H48',
        auth: auth === 'bearer' ? { type: 'bearer', tokenEnv: 'PROV_TOKEN' } : { type: 'oauth2-client-credentials', tokenUrl: `${prov.url}/oauth2/token`, clientId: 'lienthong', clientSecretEnv: 'PROV_CLIENT_SECRET' },
        units: PROVINCE_UNITS,
        lookupPath: '/TraCuuHoSo',
        concurrency: 2,
        ratePerSecond: 1000,
        timeoutMs: 3000,
        retry: { maxAttempts: 4, minDelayMs: 10, maxDelayMs: 50 },
      },
    ],
    sync: spine.config.sync,
  });
  return { config, env: { ...spine.env, ...(auth === 'bearer' ? { PROV_TOKEN: await tokenFrom(prov) } : { PROV_CLIENT_SECRET: CLIENT_SECRET }) } };
}

/** Codes of the records the provincial target should receive, by their MaHoSo (the generated unit code is the MaHoSo prefix). */
const provincial = (codes: string[]) => codes.filter((c) => c.startsWith('000.05.21.H48') || c.startsWith('000.12.'));

describe('a national session target and a provincial bare-array target with units, in one config', () => {
  it('one run delivers every dossier nationally and only its units to the province; changes follow the same routes', async () => {
    const { config, env } = await twoTargets();
    const s = spine!;
    const p = prov!;
    const all = s.records.map((r) => r.MaHoSo);
    const mine = provincial(all);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);

    const one = await runSync(s.ledger, config, { env });
    expect(one.exitCode).toBe(0);
    expect(one.targets).toEqual([
      { id: 'national', delivered: 12, failedAttempts: 0, pending: 0, dead: 0 },
      { id: 'province', delivered: mine.length, failedAttempts: 0, pending: 0, dead: 0 },
    ]);
    for (const code of all) expect(s.sim.dossier(code), code).toBeDefined();
    expect([...p.dossiers()].map((d) => d.code).sort()).toEqual([...mine].sort());
    // Every provincial call carried the bearer token: none was refused.
    expect(p.stats().calls.DongBoHoSoMC).toEqual({ ok: mine.length });
    // Independent outboxes: one delivery row per dossier nationally, one per provincial dossier on the province.
    const rows = await s.ledger.rows<{ target_id: string; n: number }>(sql`select target_id, count(*)::int as n from deliveries group by target_id order by target_id`);
    expect(rows).toEqual([{ target_id: 'national', n: 12 }, { target_id: 'province', n: mine.length }]);

    // A change of a provincial dossier goes to both; one of another unit only to the national portal.
    const inUnits = s.records.find((r) => r.MaHoSo === mine[0])!;
    const outside = s.records.find((r) => !mine.includes(r.MaHoSo))!;
    await s.writeExport('0002.ndjson', [{ ...inUnits, TrangThaiHoSo: '10' }, { ...outside, TrangThaiHoSo: '10' }]);
    const two = await runSync(s.ledger, config, { env });
    expect(two.targets.map((t) => [t.id, t.delivered])).toEqual([['national', 2], ['province', 1]]);
    expect(p.dossier(inUnits.MaHoSo)).toMatchObject({ pushes: 2, isUpdatingSeen: ['False', 'True'] });
    expect(p.dossier(inUnits.MaHoSo)?.record.TrangThaiHoSo).toBe('10');
    expect(p.dossier(outside.MaHoSo)).toBeUndefined();
    expect(s.sim.dossier(outside.MaHoSo)?.record.TrangThaiHoSo).toBe('10');
  });

  it('reconcile runs per target: outside its units nothing is missing on the province; a lost provincial dossier is', async () => {
    const { config, env } = await twoTargets();
    const s = spine!;
    const p = prov!;
    await runSync(s.ledger, config, { env });
    const period = { from: '2026-01-01', to: '2026-12-31', env, deep: true, createdBy: 'test', store: false } as const;

    const national = await reconcile(s.ledger, config, { targetId: 'national', ...period });
    expect(national.differences).toEqual([]);
    expect(national.stats.portal.lookups).toBe(12);

    const province = await reconcile(s.ledger, config, { targetId: 'province', ...period });
    // Dossiers of 000.20.48.H48 and 000.31.48.H48 never had a provincial delivery: not "not_delivered" there.
    expect(province.differences).toEqual([]);
    expect(province.stats.portal.lookups).toBe(provincial(s.records.map((r) => r.MaHoSo)).length);
    expect(new Set(province.counts.map((c) => c.unitCode))).toEqual(new Set(['000.05.21.H48', '000.12.48.H48']));
    expect(province.notes.join('\n')).toContain('targets[].units');

    // The proxy loses one of its dossiers: reconcile of the province names it, the national one does not.
    const lost = provincial(s.records.map((r) => r.MaHoSo))[0]!;
    expect(p.forget(lost)).toBe(true);
    const again = await reconcile(s.ledger, config, { targetId: 'province', ...period });
    expect(again.differences.map((d) => [d.code, d.reason])).toEqual([[lost, 'missing_on_portal']]);
    expect((await reconcile(s.ledger, config, { targetId: 'national', ...period })).differences).toEqual([]);
  });

  it('a target without units still receives every dossier (units: [] is the default)', async () => {
    const { config, env } = await twoTargets();
    const open = { ...config, targets: config.targets.map((t) => (t.id === 'province' ? ({ ...t, units: [] } as TargetConfig) : t)) };
    const r = await runSync(spine!.ledger, open, { env });
    expect(r.targets.map((t) => [t.id, t.delivered])).toEqual([['national', 12], ['province', 12]]);
  });

  it('the provincial proxy with OAuth2 client credentials instead of a static token: the same run, the same routes', async () => {
    const { config, env } = await twoTargets('oauth2');
    const s = spine!;
    const mine = provincial(s.records.map((r) => r.MaHoSo));
    const r = await runSync(s.ledger, config, { env });
    expect(r.exitCode).toBe(0);
    expect(r.targets.map((t) => [t.id, t.delivered, t.dead])).toEqual([['national', 12, 0], ['province', mine.length, 0]]);
    expect([...prov!.dossiers()].map((d) => d.code).sort()).toEqual([...mine].sort());
    expect(prov!.stats().calls.token?.ok ?? 0).toBeGreaterThan(0);
  });
});
