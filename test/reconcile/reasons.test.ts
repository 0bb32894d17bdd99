/**
 * The two reasons reconcile.test.ts does not plant: `unit_mismatch` (the portal holds another
 * DonViXuLy — repair re-sends, the next sync clears it) and `duplicate_code` (one MaHoSo held by
 * two sources — left to a person: repair touches neither dossier and it is still reported).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { repair } from '../../src/reconcile/repair.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const unitOf = (r: PortalDossierWithProgress) => r.MaHoSo.split('-')[0]!;

function withReporting(s: Spine): void {
  const t = s.config.targets[0]!;
  t.reporting = { baseUrl: s.sim.url, rootDepartmentId: '019d2be3-6a88-732b-8b17-b68020c8553a', pageSize: 100 };
}

/** A second source `other` reading its own export directory, holding `records`. */
async function addSource(s: Spine, records: unknown[]): Promise<void> {
  const dir = join(s.dir, 'other');
  await mkdir(dir);
  await writeFile(join(dir, '0001.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const local = s.config.sources[0]!;
  s.config.sources.push({ ...local, id: 'other', options: { path: dir } });
}

/** Everything repair could touch for these codes: the dossiers and their deliveries, as stored. */
async function snapshot(s: Spine, code: string) {
  return s.ledger.rows(sql`
    select d.source_id, d.version, d.content_hash, d.deleted_at, d.updated_at::text as d_updated,
           q.status, q.version as q_version, q.attempts, q.delivered_version, q.dossier_acked_version, q.portal_has, q.updated_at::text as q_updated
    from dossiers d left join deliveries q on q.dossier_id = d.id
    where d.code = ${code} order by d.source_id`);
}

describe('reconcile: unit_mismatch', () => {
  it('finds a dossier the portal holds under another processing unit, with field detail; repair plus one sync clears it', async () => {
    spine = await startSpine({ count: 12 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    const [a, b, c] = spine.records as [PortalDossierWithProgress, PortalDossierWithProgress, PortalDossierWithProgress];
    const otherStatus = b.TrangThaiHoSo === '4' ? '2' : '4';
    // The portal holds a as processed by another unit; b likewise, with an older status too; c only an older status.
    expect(spine.sim.patch(a.MaHoSo, { DonViXuLy: 'Phòng Tài nguyên và Môi trường' })).toBe(true);
    expect(spine.sim.patch(b.MaHoSo, { DonViXuLy: 'UBND xã khác', TrangThaiHoSo: otherStatus })).toBe(true);
    expect(spine.sim.patch(c.MaHoSo, { TrangThaiHoSo: c.TrangThaiHoSo === '4' ? '2' : '4' })).toBe(true);

    const report = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true, createdBy: 'test' });
    expect(Object.fromEntries(report.differences.map((d) => [d.code, d.reason]))).toEqual({
      [a.MaHoSo]: 'unit_mismatch',
      [b.MaHoSo]: 'unit_mismatch',
      [c.MaHoSo]: 'portal_stale',
    });
    expect(report.exitCode).toBe(2);
    const byCode = new Map(report.differences.map((d) => [d.code, d]));
    expect(byCode.get(a.MaHoSo)).toMatchObject({ unitCode: unitOf(a), detail: { sourceId: 'local' } });
    expect(byCode.get(a.MaHoSo)?.detail['fields']).toEqual([{ field: 'DonViXuLy', ledger: a.DonViXuLy, portal: 'Phòng Tài nguyên và Môi trường' }]);
    expect(byCode.get(b.MaHoSo)?.unitCode).toBe(unitOf(b));
    expect(byCode.get(b.MaHoSo)?.detail['fields']).toEqual([
      { field: 'TrangThaiHoSo', ledger: b.TrangThaiHoSo, portal: otherStatus },
      { field: 'DonViXuLy', ledger: b.DonViXuLy, portal: 'UBND xã khác' },
    ]);

    const fixed = await repair(spine.ledger, spine.config, report);
    expect(fixed).toMatchObject({ repulled: 0, markedDeleted: 0, requeued: 0, resent: 3, leftAlone: 0 });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    expect(spine.sim.dossier(a.MaHoSo)?.record.DonViXuLy).toBe(a.DonViXuLy);
    expect(spine.sim.dossier(a.MaHoSo)?.isUpdatingSeen).toContain('True');
    expect(spine.sim.dossier(b.MaHoSo)?.record).toMatchObject({ DonViXuLy: b.DonViXuLy, TrangThaiHoSo: b.TrangThaiHoSo });
    const after = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, deep: true });
    expect(after.stats.portal.lookups).toBe(12);
    expect(after.differences).toEqual([]);
    expect(after.counts.filter((r) => r.differs)).toEqual([]);
    expect(after.exitCode).toBe(0);
  });
});

describe('reconcile: duplicate_code', () => {
  it('reports one MaHoSo held by two sources; repair touches neither dossier and it is still reported', async () => {
    spine = await startSpine({ count: 12 });
    withReporting(spine);
    const [a, b] = spine.records as [PortalDossierWithProgress, PortalDossierWithProgress];
    // Another local system uses a's code for a dossier of its own, and also holds one code of its own.
    const dup: PortalDossierWithProgress = { ...a, ChuHoSo: 'Trần Thị Khác', TrangThaiHoSo: a.TrangThaiHoSo === '4' ? '2' : '4' };
    const ownCode = `${unitOf(b)}-261015-9201`;
    const own = { ...b, MaHoSo: ownCode, QuaTrinhXuLy: (b.QuaTrinhXuLy ?? []).map((p) => ({ ...p, MaHoSo: ownCode })) };
    await addSource(spine, [dup, own]);
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    // The portal keys by MaHoSo alone: it holds whichever source's dossier was pushed last.
    const held = spine.sim.dossier(a.MaHoSo)!;
    const winner = held.record.ChuHoSo === dup.ChuHoSo ? 'other' : 'local';
    const loser = winner === 'local' ? 'other' : 'local';
    expect(held.record.ChuHoSo).toBe(winner === 'other' ? dup.ChuHoSo : a.ChuHoSo);
    expect(spine.sim.dossier(ownCode)).toBeDefined();

    const report = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, createdBy: 'test' });
    const duplicate = { code: a.MaHoSo, unitCode: unitOf(a), reason: 'duplicate_code', detail: { sources: ['local', 'other'], units: [unitOf(a)] } };
    // Exactly the duplicate, plus what it does on the portal: the losing source's dossier looks stale there.
    expect(report.differences.map((d) => [d.code, d.reason])).toEqual([
      [a.MaHoSo, 'duplicate_code'],
      [a.MaHoSo, 'portal_stale'],
    ]);
    expect(report.differences[0]).toEqual(duplicate);
    expect(report.differences[1]?.detail).toMatchObject({ sourceId: loser, fields: [{ field: 'TrangThaiHoSo', ledger: loser === 'local' ? a.TrangThaiHoSo : dup.TrangThaiHoSo, portal: held.record.TrangThaiHoSo }] });
    // Two dossiers delivered under the code, one on the portal.
    const received = report.counts.find((r) => r.unitCode === unitOf(a) && r.bucket === '766_received')!;
    expect(received.delivered! - received.portal!).toBe(1);
    expect(report.exitCode).toBe(2);

    // Narrowed to either source, or to the code's unit, the duplicate is still reported; another unit does not see it.
    for (const o of [{ sourceIds: ['local'] }, { sourceIds: ['other'] }, { unit: unitOf(a) }]) {
      const narrowed = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, store: false, ...o });
      expect(narrowed.differences.filter((d) => d.reason === 'duplicate_code')).toEqual([duplicate]);
    }
    const elsewhere = spine.records.map(unitOf).find((u) => u !== unitOf(a))!;
    const otherUnit = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env, store: false, unit: elsewhere });
    expect(otherUnit.differences.filter((d) => d.reason === 'duplicate_code')).toEqual([]);

    // Repair leaves the code to a person: neither dossier nor delivery changes, nothing is re-sent.
    const before = await snapshot(spine, a.MaHoSo);
    expect(before.map((r) => [r['source_id'], r['status']])).toEqual([
      ['local', 'delivered'],
      ['other', 'delivered'],
    ]);
    const pushes = held.pushes;
    const fixed = await repair(spine.ledger, spine.config, report);
    expect(fixed).toEqual({ repulled: 0, stillQuarantined: 0, markedDeleted: 0, requeued: 0, resent: 0, leftAlone: 2 });
    expect(await snapshot(spine, a.MaHoSo)).toEqual(before);
    expect((await runSync(spine.ledger, spine.config, { env: spine.env })).exitCode).toBe(0);
    expect(spine.sim.dossier(a.MaHoSo)).toMatchObject({ pushes, record: { ChuHoSo: held.record.ChuHoSo } });
    const after = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env });
    expect(after.differences.map((d) => [d.code, d.reason, d.detail['sourceId'] ?? null])).toEqual([
      [a.MaHoSo, 'duplicate_code', null],
      [a.MaHoSo, 'portal_stale', loser],
    ]);
    expect(after.differences[0]).toEqual(duplicate);
    expect(after.exitCode).toBe(2);
  });
});
