/**
 * The whole spine against the portal simulator speaking real portals' dialects at once: an OAuth2
 * proxy whose expired tokens are answered HTTP 200 "-2" with wording of its own, "-1" busy answers
 * in a 200, text limits enforced by rejection, UPPER-CASE look-up keys and windows-1258 answers.
 * Both contract styles; PGlite, or PostgreSQL with DATABASE_URL. Every dossier must end on the
 * portal as the source has it, and reconcile must agree with the portal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config, TargetConfig } from '../../schemas/config.ts';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { portalToDossier, dossierToPortal } from '../../src/dossier/index.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { startSpine, SIM_PASSWORD, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
let sim: PortalSim | undefined;
afterEach(async () => {
  await sim?.close();
  await spine?.close();
  sim = undefined;
  spine = undefined;
});

const CLIENT_SECRET = 'lgsp-bi-mat-5521';
const ANSWERS = [
  { errorCode: '-1', messageMatches: 'đang bận|thử lại', means: 'retry' },
  { errorCode: '-2', messageMatches: 'xác thực', means: 'session_expired' },
];

async function dialectSpine(style: 'session' | 'bare-array'): Promise<{ spine: Spine; sim: PortalSim; config: Config; env: Record<string, string> }> {
  const s = await startSpine({ count: 12, seed: 23 });
  const p = await startPortalSim({
    port: 0,
    seed: 5,
    username: 'lienthong',
    password: SIM_PASSWORD,
    clientSecret: CLIENT_SECRET,
    dialect: ['oauth2', 'busy-200', 'expiry-2', 'text-limits', 'upper-keys', 'windows-1258'],
    busyEvery: 4,
  });
  const base = s.config.targets[0]!;
  const target: Record<string, unknown> = {
    ...base,
    style,
    baseUrl: p.url,
    auth: { type: 'oauth2-client-credentials', tokenUrl: `${p.url}/oauth2/token`, clientId: 'lienthong', clientSecretEnv: 'LGSP_CLIENT_SECRET' },
    answers: ANSWERS,
    retry: { maxAttempts: 8, minDelayMs: 5, maxDelayMs: 40 },
  };
  if (style === 'bare-array') {
    delete target['username'];
    delete target['passwordEnv'];
    Object.assign(target, { insertPath: '/DongBoHoSoMC', updatePath: '/DongBoHoSoMC', progressPath: '/CapNhatTienDoHoSoMC', lookupPath: '/TraCuuHoSo' });
  }
  return { spine: s, sim: p, config: { ...s.config, targets: [target as TargetConfig] }, env: { ...s.env, LGSP_CLIENT_SECRET: CLIENT_SECRET } };
}

/** The record the portal should hold: the source's, with a note cut to 2000 characters. */
function expectedOnPortal(r: PortalDossierWithProgress): Record<string, unknown> {
  return { ...dossierToPortal(portalToDossier(r)) };
}

describe.each(['session', 'bare-array'] as const)('%s target behind an OAuth2 proxy speaking real dialects', (style) => {
  it('delivers everything through busy answers, a "-2" token expiry and a cut note; reconcile agrees', async () => {
    const d = await dialectSpine(style);
    spine = d.spine;
    sim = d.sim;
    const [first, ...others] = spine.records;
    const note = `Ghi chú ${'rất dài '.repeat(300)}`;
    await spine.writeExport('0001.ndjson', [{ ...first!, GhiChu: note }, ...others]);

    const one = await runSync(spine.ledger, d.config, { env: d.env });
    expect(one.targets[0]).toMatchObject({ delivered: 12, dead: 0, pending: 0, truncated: 1 });
    const stats = sim.stats();
    expect(stats.calls.DongBoHoSoMC?.busy ?? 0).toBeGreaterThan(0);

    // The proxy now revokes tokens before their expires_in, answering "-2": the run must fetch new ones.
    sim.setFaults({ pExpireSession: 0.25 });
    const changed = others.slice(0, 8).map((r) => ({ ...r, TrangThaiHoSo: r.TrangThaiHoSo === '4' ? '2' : '4' }));
    await spine.writeExport('0002.ndjson', changed);
    const two = await runSync(spine.ledger, d.config, { env: d.env });
    expect(two.targets[0]).toMatchObject({ dead: 0, pending: 0 });
    expect(sim.stats().calls.DongBoHoSoMC?.expired_token ?? 0).toBeGreaterThan(0);

    for (const r of [first!, ...others.slice(8)]) {
      const held = sim.dossier(r.MaHoSo)?.record as Record<string, unknown> | undefined;
      const want = expectedOnPortal(r);
      if (r === first) want['GhiChu'] = [...note.normalize('NFC')].slice(0, 2000).join('');
      expect(held).toStrictEqual(want);
    }
    for (const r of changed) expect(sim.dossier(r.MaHoSo)?.record.TrangThaiHoSo).toBe(r.TrangThaiHoSo);

    sim.setFaults({});
    // Look-ups answered in UPPER-CASE keys and windows-1258: every field compared, nothing unverifiable.
    const report = await reconcile(spine.ledger, d.config, { targetId: 'national', from: '2026-01-01', to: '2026-12-31', env: d.env, deep: true, createdBy: 'test', store: false });
    expect(report.stats.portal.lookups).toBeGreaterThan(0);
    expect(report.differences.filter((x) => x.reason === 'portal_unverifiable' || x.reason === 'portal_stale' || x.reason === 'missing_on_portal')).toEqual([]);
  });
});
