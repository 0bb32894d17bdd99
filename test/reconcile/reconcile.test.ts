import { afterEach, describe, expect, it } from 'vitest';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { diffReconciliations, listReconciliations, loadReconciliation } from '../../src/reconcile/history.ts';
import { repair } from '../../src/reconcile/repair.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

/** A copy of a record under another code (its progress follows). */
function recode(r: PortalDossierWithProgress, code: string, patch: Partial<PortalDossierWithProgress> = {}): PortalDossierWithProgress {
  return { ...r, ...patch, MaHoSo: code, QuaTrinhXuLy: (r.QuaTrinhXuLy ?? []).map((p) => ({ ...p, MaHoSo: code })) };
}

async function withReporting(s: Spine): Promise<void> {
  const t = s.config.targets[0]!;
  t.reporting = { baseUrl: s.sim.url, rootDepartmentId: '019d2be3-6a88-732b-8b17-b68020c8553a', pageSize: 100 };
}

/** Plants one of each kind of difference; returns the codes by expected reason. */
async function plant(s: Spine) {
  const records = s.records;
  const unitOf = (r: PortalDossierWithProgress) => r.MaHoSo.split('-')[0];
  const a = records[0]!;
  const b = records.find((r) => r !== a && unitOf(r) === unitOf(a) && r.TrangThaiHoSo !== '4')!;
  const c = records.find((r) => r !== a && r !== b)!;
  const e = recode(records[3]!, `${unitOf(records[3]!)}-261015-9101`, { TrangThaiHoSo: '11' });
  const g = recode(records[4]!, `${unitOf(records[4]!)}-261015-9102`);
  const d = recode(records[5]!, `${unitOf(records[5]!)}-261015-9103`);

  // A record that does not validate (quarantined) and one whose delivery dies (portal down).
  await s.writeExport('0002.ndjson', [e, g]);
  s.sim.setFaults({ p503: 1 });
  const failing = await runSync(s.ledger, s.config, { env: s.env });
  expect(failing.targets[0]).toMatchObject({ dead: 1 });
  s.sim.setFaults({});
  // The portal loses an acknowledged dossier and keeps an old status of another.
  expect(s.sim.forget(a.MaHoSo)).toBe(true);
  expect(s.sim.patch(b.MaHoSo, { TrangThaiHoSo: '4' })).toBe(true);
  // The local system deletes a record and receives one that is never pulled.
  await s.writeExport('0001.ndjson', records.filter((r) => r !== c));
  await s.writeExport('0003.ndjson', [d]);
  return { a, b, c, d, e, g };
}

describe('reconcile', () => {
  it('finds exactly the planted differences with their reasons, and repair plus one sync clears them', async () => {
    spine = await startSpine({ count: 30 });
    await withReporting(spine);
    const first = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(first.exitCode).toBe(0);
    const clean = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env });
    expect(clean.differences).toEqual([]);
    expect(clean.exitCode).toBe(0);
    expect(clean.stats.portal.published).toBe(true);
    expect(clean.stats.portal.lookups).toBe(0);

    const p = await plant(spine);
    const report = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, createdBy: 'test' });
    const found = Object.fromEntries(report.differences.map((d) => [d.code, d.reason]));
    expect(found).toEqual({
      [p.a.MaHoSo]: 'missing_on_portal',
      [p.b.MaHoSo]: 'portal_stale',
      [p.c.MaHoSo]: 'deleted_at_source',
      [p.d.MaHoSo]: 'missing_in_ledger',
      [p.e.MaHoSo]: 'quarantined',
      [p.g.MaHoSo]: 'not_delivered',
    });
    expect(report.exitCode).toBe(2);
    const byCode = new Map(report.differences.map((d) => [d.code, d]));
    expect(byCode.get(p.b.MaHoSo)?.detail['fields']).toEqual([{ field: 'TrangThaiHoSo', ledger: p.b.TrangThaiHoSo, portal: '4' }]);
    expect(byCode.get(p.e.MaHoSo)?.detail['issues']).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'TrangThaiHoSo' })]));
    expect(byCode.get(p.g.MaHoSo)?.detail).toMatchObject({ status: 'dead' });
    expect(byCode.get(p.g.MaHoSo)?.detail['lastError']).toMatch(/503/);
    // Look-ups were spent only on the unit whose published figures differ.
    const unitA = p.a.MaHoSo.split('-')[0]!;
    expect(report.stats.portal.unitsLookedUp).toEqual([unitA]);
    expect(report.stats.portal.lookups).toBeLessThan(spine.records.length);
    const received766 = report.counts.find((r) => r.unitCode === unitA && r.bucket === '766_received')!;
    expect(received766.delivered! - received766.portal!).toBe(1);
    expect(received766.differs).toBe(true);

    // The source corrects its invalid record; repair re-pulls and re-queues; the next sync delivers.
    await spine.writeExport('0002.ndjson', [{ ...p.e, TrangThaiHoSo: '4' }, p.g]);
    const fixed = await repair(spine.ledger, spine.config, report);
    expect(fixed).toMatchObject({ repulled: 2, stillQuarantined: 0, markedDeleted: 1, requeued: 1, resent: 2, leftAlone: 0 });
    const sync = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(sync.exitCode).toBe(0);
    const after = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env });
    expect(after.differences).toEqual([]);
    expect(after.counts.filter((r) => r.differs)).toEqual([]);
    expect(after.exitCode).toBe(0);
    expect(spine.sim.dossier(p.b.MaHoSo)?.record.TrangThaiHoSo).toBe(p.b.TrangThaiHoSo);

    // History: every run stored; diff says what was resolved.
    const history = await listReconciliations(spine.ledger);
    expect(history.map((h) => h.differenceCount)).toEqual([0, 6, 0]);
    const shown = await loadReconciliation(spine.ledger, report.id.slice(0, 8));
    expect(shown.differences).toHaveLength(6);
    expect(shown.createdBy).toBe('test');
    const delta = await diffReconciliations(spine.ledger, report.id, after.id);
    expect(delta.resolved.map((d) => d.reason).sort()).toEqual(['deleted_at_source', 'missing_in_ledger', 'missing_on_portal', 'not_delivered', 'portal_stale', 'quarantined']);
    expect(delta.appeared).toEqual([]);
  });

  it('looks every acknowledged dossier up with --deep when the target publishes no figures', async () => {
    spine = await startSpine({ count: 12 });
    await runSync(spine.ledger, spine.config, { env: spine.env });
    const [a, b] = spine.records;
    spine.sim.forget(a!.MaHoSo);
    spine.sim.patch(b!.MaHoSo, { NgayTiepNhan: '20260915080000' });
    const shallow = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, store: false });
    expect(shallow.differences).toEqual([]);
    expect(shallow.notes.join(' ')).toMatch(/--deep/);
    const deep = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true, store: false });
    expect(deep.stats.portal.lookups).toBe(12);
    expect(Object.fromEntries(deep.differences.map((d) => [d.code, d.reason]))).toEqual({ [a!.MaHoSo]: 'missing_on_portal', [b!.MaHoSo]: 'period_mismatch' });
    expect(deep.exitCode).toBe(2);
  });
});
