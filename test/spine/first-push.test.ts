/**
 * `targets[].firstPush` (issue #10 item 4): a province migrating from an older connector, whose
 * portal already holds most dossiers (the simulator's `exists-3` dialect with `preload`). `lookup`
 * asks TraCuuHoSo first and never inserts what the portal holds; `insert` switches to an update on
 * the "exists" answer ("đã tồn tại", or "-3" with an answer rule). Either way every dossier ends on
 * the portal as the source has it.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalDossier, PortalDossierWithProgress } from '../../schemas/portal.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { ConfigError } from '../../src/errors.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine, type SpineOptions } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

/** What an older connector left on the portal: an earlier state of the dossier (status 2, another summary, no dates after reception). */
function olderCopy(r: PortalDossierWithProgress): PortalDossier {
  const { QuaTrinhXuLy: _progress, ...rest } = r;
  return { ...rest, TrangThaiHoSo: '2', TrichYeuHoSo: `Bản cũ: ${r.TrichYeuHoSo}`, NgayKetThucXuLy: '', NgayTra: '' } as PortalDossier;
}

/** A spine whose portal already holds the first `held` dossiers (older copies), in the exists-3 dialect. */
async function migrationSpine(held: number, target: Record<string, unknown>, extra: Partial<SpineOptions> = {}): Promise<{ spine: Spine; preloaded: PortalDossierWithProgress[]; fresh: PortalDossierWithProgress[] }> {
  // The same generator and seed as the spine's export (test/support/spine.ts).
  const records = [...generateDossiers({ count: 10, seed: 23 })];
  const preloaded = records.slice(0, held);
  const s = await startSpine({ count: 10, seed: 23, dialect: ['exists-3'], preload: preloaded.map(olderCopy), target, ...extra });
  return { spine: s, preloaded, fresh: records.slice(held) };
}

function expectAsSource(s: Spine): void {
  for (const r of s.records) {
    const held = s.sim.dossier(r.MaHoSo);
    expect(held, r.MaHoSo).toBeDefined();
    expect(held?.record.TrangThaiHoSo, r.MaHoSo).toBe(r.TrangThaiHoSo);
    expect(held?.record.TrichYeuHoSo, r.MaHoSo).toBe(r.TrichYeuHoSo);
    expect(held?.record.NgayKetThucXuLy ?? '', r.MaHoSo).toBe(r.NgayKetThucXuLy ?? '');
    expect(held?.progress, r.MaHoSo).toHaveLength(r.QuaTrinhXuLy?.length ?? 0);
  }
}

describe('firstPush "lookup": migration from an older connector', () => {
  it('session target: looks every never-pushed dossier up, updates the preloaded ones without an insert attempt, inserts the others', async () => {
    const m = await migrationSpine(6, { firstPush: 'lookup' });
    spine = m.spine;
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.exitCode).toBe(0);
    expect(summary.targets[0]).toMatchObject({ id: 'national', delivered: 10, pending: 0, dead: 0, lookups: 10, foundOnPortal: 6 });
    // No insert was tried for a dossier the portal held: never an "exists" answer, only "True" on those codes.
    const calls = spine.sim.stats().calls;
    expect(calls.DongBoHoSoMC?.exists ?? 0).toBe(0);
    expect(calls.DongBoHoSoMC?.ok).toBe(10);
    expect(calls.TraCuuHoSo).toEqual({ ok: 6, not_found: 4 });
    for (const r of m.preloaded) expect(spine.sim.dossier(r.MaHoSo)?.isUpdatingSeen, r.MaHoSo).toEqual(['True']);
    for (const r of m.fresh) expect(spine.sim.dossier(r.MaHoSo)?.isUpdatingSeen, r.MaHoSo).toEqual(['False']);
    expectAsSource(spine);
    // Each look-up is evidence like any other exchange: a receipt on the dossier's delivery.
    const receipts = await spine.ledger.rows<{ n: number; with_delivery: number }>(
      sql`select count(*)::int as n, count(delivery_id)::int as with_delivery from receipts where service = 'TraCuuHoSo'`,
    );
    expect(receipts[0]).toEqual({ n: 10, with_delivery: 10 });
  });

  it('looks up only before the first push: a later change of an acknowledged dossier is an update without a look-up', async () => {
    const m = await migrationSpine(3, { firstPush: 'lookup' });
    spine = m.spine;
    await runSync(spine.ledger, spine.config, { env: spine.env });
    const before = spine.sim.stats().calls.TraCuuHoSo;
    const a = m.fresh[0]!;
    await spine.writeExport('0002.ndjson', [{ ...a, TrangThaiHoSo: '10' }]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 1, dead: 0 });
    expect(s.targets[0]?.lookups).toBeUndefined();
    expect(spine.sim.stats().calls.TraCuuHoSo).toEqual(before);
    expect(spine.sim.dossier(a.MaHoSo)).toMatchObject({ isUpdatingSeen: ['False', 'True'] });
    expect(spine.sim.dossier(a.MaHoSo)?.record.TrangThaiHoSo).toBe('10');
  });

  it('bare-array target with lookupPath: the same, through GET lookupPath', async () => {
    const m = await migrationSpine(4, { style: 'bare-array', firstPush: 'lookup', lookupPath: '/TraCuuHoSo' });
    spine = m.spine;
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.targets[0]).toMatchObject({ delivered: 10, dead: 0, lookups: 10, foundOnPortal: 4 });
    expect(spine.sim.stats().calls.DongBoHoSoMC?.exists ?? 0).toBe(0);
    for (const r of m.preloaded) expect(spine.sim.dossier(r.MaHoSo)?.isUpdatingSeen).toEqual(['True']);
    expectAsSource(spine);
  });

  it('bare-array target without lookupPath: the run is refused before anything is read or sent, naming the target and the key', async () => {
    const m = await migrationSpine(4, { style: 'bare-array', firstPush: 'lookup' });
    spine = m.spine;
    const err = await runSync(spine.ledger, spine.config, { env: spine.env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/target "national": firstPush: "lookup" needs lookupPath/);
    expect(spine.sim.stats().total).toBe(0);
    const stored = await spine.ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers`);
    expect(stored[0]?.n).toBe(0);
  });
});

describe('firstPush "insert" (default) on a portal that already holds dossiers', () => {
  it('"đã tồn tại" answers turn the insert into an update: every dossier ends as the source has it', async () => {
    // The clean contract's wording ("Hồ sơ … đã tồn tại"), without the exists-3 dialect.
    const m = await migrationSpine(5, {}, { dialect: [] });
    spine = m.spine;
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.targets[0]).toMatchObject({ delivered: 10, pending: 0, dead: 0 });
    expect(summary.targets[0]?.lookups).toBeUndefined();
    expect(spine.sim.stats().calls.TraCuuHoSo).toBeUndefined();
    expect(spine.sim.stats().calls.DongBoHoSoMC?.exists).toBe(5);
    for (const r of m.preloaded) expect(spine.sim.dossier(r.MaHoSo)?.isUpdatingSeen).toEqual(['False', 'True']);
    for (const r of m.fresh) expect(spine.sim.dossier(r.MaHoSo)?.isUpdatingSeen).toEqual(['False']);
    expectAsSource(spine);
  });

  it('exists-3 portal: with the answer rule {"errorCode":"-3","means":"exists"}, "Trùng mã hồ sơ" turns the insert into an update', async () => {
    const m = await migrationSpine(5, { answers: [{ errorCode: '-3', means: 'exists' }] });
    spine = m.spine;
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.exitCode).toBe(0);
    expect(summary.targets[0]).toMatchObject({ delivered: 10, pending: 0, dead: 0 });
    expect(spine.sim.stats().calls.DongBoHoSoMC?.exists).toBe(5);
    for (const r of m.preloaded) expect(spine.sim.dossier(r.MaHoSo)?.isUpdatingSeen).toEqual(['False', 'True']);
    expectAsSource(spine);
  });
});
