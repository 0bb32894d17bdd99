/**
 * Integrity of reconcile and repair (issue 9 §4): a push-only source is never used to infer
 * deletions, repair never deletes without a positive listing, an unchanged re-push restores a
 * soft-deleted dossier, every repair action is recorded and can be undone, and an older version of
 * a record never overwrites a newer one on the pull path.
 */
import { sql } from 'drizzle-orm';
import { notComparedOf, toHtml } from '../../src/reconcile/report-formats.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { signPayload } from '../../src/intake/signature.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { listRepairActions, repair, undoRepair } from '../../src/reconcile/repair.ts';
import { reconcile } from '../../src/reconcile/run.ts';
import type { ReconcileReport } from '../../src/reconcile/types.ts';
import { startApi, type ApiFixture } from '../ops/support.ts';

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const SECRET = 'push-secret-0123456789';
const now = Date.parse('2026-11-23T01:00:00Z');

let api: ApiFixture | undefined;
afterEach(async () => {
  await api?.spine.close();
  api = undefined;
});

function recode(r: PortalDossierWithProgress, code: string): PortalDossierWithProgress {
  return { ...r, MaHoSo: code, QuaTrinhXuLy: (r.QuaTrinhXuLy ?? []).map((p) => ({ ...p, MaHoSo: code })) };
}

/** The same dossier as it stood before it was finished: status 4, processing steps only. */
function olderVersion(r: PortalDossierWithProgress): PortalDossierWithProgress {
  return { ...r, TrangThaiHoSo: '4', NgayTra: '', NgayKetThucXuLy: '', DanhSachGiayToKetQua: [], QuaTrinhXuLy: (r.QuaTrinhXuLy ?? []).filter((p) => Number(p.TrangThai) <= 4) };
}

async function start(): Promise<ApiFixture> {
  return startApi({
    count: 8,
    deps: { now: () => now },
    configure: (spine) => {
      spine.config.sources.push({ id: 'hook', adapter: 'webhook', options: { mapping: 'portal' }, units: [], pageSize: 500, webhookSecretEnv: 'PUSH_SECRET' });
      spine.env['PUSH_SECRET'] = SECRET;
    },
  });
}

let tick = 0;
async function push(a: ApiFixture, payload: unknown) {
  const body = JSON.stringify(payload);
  // A new timestamp for every push: the same signature twice is a replay.
  const ts = Math.floor(now / 1000) - ++tick;
  const signature = await signPayload(SECRET, ts, body);
  return a.call('/ingest/hook', { method: 'POST', body, headers: { 'x-lienthong-timestamp': String(ts), 'x-lienthong-signature': signature } });
}

async function deletedAt(a: ApiFixture, sourceId: string, code: string): Promise<string | null> {
  const rows = await a.spine.ledger.rows<{ deleted_at: string | null }>(sql`select deleted_at from dossiers where source_id = ${sourceId} and code = ${code}`);
  if (rows.length !== 1) throw new Error(`no dossier ${code} of ${sourceId}`);
  return rows[0]!.deleted_at;
}

describe('reconcile and repair of a push-only source', () => {
  it('never infers deletions from a source that cannot list, and says it could not compare', async () => {
    api = await start();
    await runSync(api.spine.ledger, api.spine.config, { env: api.spine.env });
    const pushed = api.spine.records.slice(0, 3).map((r, i) => recode(r, `${r.MaHoSo.split('-')[0]}-261020-77${i}0`));
    const res = await push(api, pushed);
    expect(res.body).toMatchObject({ new: 3 });

    const report = await reconcile(api.spine.ledger, api.spine.config, { targetId: 'national', ...OCTOBER, env: api.spine.env });
    expect(report.differences.filter((d) => d.reason === 'deleted_at_source')).toEqual([]);
    const hook = report.stats.sources.find((s) => s.id === 'hook');
    expect(hook).toMatchObject({ id: 'hook', compared: false });
    expect(report.stats.sources.find((s) => s.id === 'local')).toMatchObject({ compared: true });
    expect(report.notes.join('\n')).toMatch(/hook.*could not compare/);
    // Its units' source column is unknown, not "equal".
    const unit = pushed[0]!.MaHoSo.split('-')[0]!;
    expect(report.counts.filter((c) => c.unitCode === unit).every((c) => c.source === null)).toBe(true);
    // Nothing reads as agreement: it needs attention, and the headline says what was not compared.
    expect(report.exitCode).toBe(2);
    expect(notComparedOf(report)).toContain('source hook (cannot be listed)');
    expect(toHtml(report)).toContain('nguồn hook (không liệt kê được hồ sơ)');

    // A stored report (as older versions wrote) naming the pushed dossiers deleted: repair refuses to delete them.
    const forged: ReconcileReport = {
      ...report,
      differences: pushed.map((r) => ({ code: r.MaHoSo, unitCode: unit, reason: 'deleted_at_source' as const, detail: { sourceId: 'hook' } })),
    };
    const done = await repair(api.spine.ledger, api.spine.config, forged);
    expect(done.markedDeleted).toBe(0);
    expect(done.leftAlone).toBe(3);
    for (const r of pushed) expect(await deletedAt(api, 'hook', r.MaHoSo)).toBeNull();
  });

  it('repair never deletes what a listable source still lists (a stale report)', async () => {
    api = await start();
    await runSync(api.spine.ledger, api.spine.config, { env: api.spine.env });
    const kept = api.spine.records[1]!;
    const report = await reconcile(api.spine.ledger, api.spine.config, { targetId: 'national', ...OCTOBER, env: api.spine.env });
    const stale: ReconcileReport = { ...report, differences: [{ code: kept.MaHoSo, unitCode: null, reason: 'deleted_at_source', detail: { sourceId: 'local' } }] };
    const done = await repair(api.spine.ledger, api.spine.config, stale);
    expect(done.markedDeleted).toBe(0);
    expect(await deletedAt(api, 'local', kept.MaHoSo)).toBeNull();
  });

  it('restores a soft-deleted dossier when the same content is pushed again', async () => {
    api = await start();
    const [r] = api.spine.records;
    const record = recode(r!, `${r!.MaHoSo.split('-')[0]}-261020-7801`);
    expect((await push(api, record)).body).toMatchObject({ new: 1 });
    await api.spine.ledger.rows(sql`update dossiers set deleted_at = now() where source_id = 'hook' and code = ${record.MaHoSo}`);
    await api.spine.ledger.rows(sql`update deliveries set status = 'delivered' where source_id = 'hook'`);
    const again = await push(api, record);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ unchanged: 0, changed: 1, restored: 1 });
    expect(await deletedAt(api, 'hook', record.MaHoSo)).toBeNull();
    const q = await api.spine.ledger.rows<{ status: string }>(sql`select q.status from deliveries q join dossiers d on d.id = q.dossier_id where d.code = ${record.MaHoSo}`);
    expect(q).toEqual([{ status: 'pending' }]);
  });

  it('records every repair action and undoes them: a deletion is restored, a re-pulled version rolled back', async () => {
    api = await start();
    const { spine } = api;
    await runSync(spine.ledger, spine.config, { env: spine.env });
    const gone = spine.records[2]!;
    const edited = spine.records[3]!;
    // The local system deletes one record and edits another (not pulled yet: its file is new to the source listing only).
    await spine.writeExport('0001.ndjson', spine.records.filter((r) => r !== gone).map((r) => (r === edited ? { ...r, ChuHoSo: 'Tên Đã Sửa' } : r)));
    const report = await reconcile(spine.ledger, spine.config, { targetId: 'national', ...OCTOBER, env: spine.env });
    const reasons = Object.fromEntries(report.differences.map((d) => [d.code, d.reason]));
    expect(reasons).toEqual({ [gone.MaHoSo]: 'deleted_at_source', [edited.MaHoSo]: 'missing_in_ledger' });
    const done = await repair(spine.ledger, spine.config, report, { createdBy: 'tester' });
    expect(done).toMatchObject({ markedDeleted: 1, repulled: 1 });
    expect(await deletedAt(api, 'local', gone.MaHoSo)).not.toBeNull();

    const actions = await listRepairActions(spine.ledger, report.id);
    expect(actions.map((a) => [a.action, a.code, a.createdBy]).sort()).toEqual(
      [
        ['mark_deleted', gone.MaHoSo, 'tester'],
        ['repull', edited.MaHoSo, 'tester'],
      ].sort(),
    );

    const undone = await undoRepair(spine.ledger, report.id.slice(0, 8), { by: 'tester' });
    expect(undone).toMatchObject({ undone: 2, skipped: 0 });
    expect(await deletedAt(api, 'local', gone.MaHoSo)).toBeNull();
    const name = await spine.ledger.rows<{ n: string }>(sql`select canonical->'applicant'->>'name' as n from dossiers where code = ${edited.MaHoSo}`);
    expect(name).toEqual([{ n: edited.ChuHoSo }]);
    expect((await listRepairActions(spine.ledger, report.id)).every((a) => a.undoneAt !== null)).toBe(true);
    // Undoing twice changes nothing more.
    expect(await undoRepair(spine.ledger, report.id, { by: 'tester' })).toMatchObject({ undone: 0 });
  });
});

describe('older versions on the pull path', () => {
  it('never lets an older version of a record overwrite a newer one; the older one is kept as stale', async () => {
    api = await start();
    const { spine } = api;
    const finished = spine.records.find((r) => r.TrangThaiHoSo === '10')!;
    await runSync(spine.ledger, spine.config, { env: spine.env });
    // A late export file carries the dossier as it was weeks earlier.
    await spine.writeExport('0002.ndjson', [olderVersion(finished)]);
    const run = await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    expect(run.sources[0]).toMatchObject({ id: 'local', changed: 0, stale: 1 });
    const rows = await spine.ledger.rows<{ status: number; version: number }>(sql`select status, version from dossiers where code = ${finished.MaHoSo}`);
    expect(rows).toEqual([{ status: 10, version: 1 }]);
    const stale = await spine.ledger.rows<{ code: string; source_id: string }>(sql`select code, source_id from stale_versions`);
    expect(stale).toEqual([{ code: finished.MaHoSo, source_id: 'local' }]);
    // The same older version read again (another export file) is refused again, kept once.
    await spine.writeExport('0002b.ndjson', [olderVersion(finished)]);
    expect((await runSync(spine.ledger, spine.config, { env: spine.env, push: false })).sources[0]).toMatchObject({ stale: 1 });
    expect(await spine.ledger.rows(sql`select code from stale_versions`)).toEqual([{ code: finished.MaHoSo }]);
    // A genuinely newer version still goes through.
    await spine.writeExport('0003.ndjson', [{ ...finished, GhiChu: 'bổ sung ghi chú' }]);
    const next = await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    expect(next.sources[0]).toMatchObject({ changed: 1 });
    expect(next.sources[0]?.stale).toBeUndefined();
  });
});
