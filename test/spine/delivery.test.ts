import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

describe('delivery to the national portal', () => {
  it('delivers every dossier and its progress, dossier first, and exits 0', async () => {
    spine = await startSpine({ count: 25 });
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.exitCode).toBe(0);
    expect(summary.sources).toEqual([{ id: 'local', pulled: 25, new: 25, changed: 0, unchanged: 0, quarantined: 0 }]);
    expect(summary.targets).toEqual([{ id: 'national', delivered: 25, failedAttempts: 0, pending: 0, dead: 0 }]);
    for (const r of spine.records) {
      const held = spine.sim.dossier(r.MaHoSo);
      expect(held?.pushes).toBe(1);
      expect(held?.isUpdatingSeen).toEqual(['False']);
      expect(held?.record.TrichYeuHoSo).toBe(r.TrichYeuHoSo);
      expect(held?.progress).toHaveLength(r.QuaTrinhXuLy!.length);
    }
    // Progress never reached the portal before its dossier (the simulator refuses that as not_found).
    expect(spine.sim.stats().calls.CapNhatTienDoHoSoMC?.not_found ?? 0).toBe(0);
    const receipts = await spine.ledger.rows<{ n: number }>(sql`select count(*)::int as n from receipts where outcome = 'ok' and service <> 'login'`);
    expect(receipts[0]?.n).toBe(50);
  });

  it('delivers through a bare-array target the same way (insert, then update paths)', async () => {
    spine = await startSpine({ count: 5, target: { style: 'bare-array' } });
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 5, pending: 0, dead: 0 });
    const [a] = spine.records;
    expect(spine.sim.dossier(a!.MaHoSo)).toMatchObject({ pushes: 1, isUpdatingSeen: ['False'], unitCode: '000.00.00.H48' });
    await spine.writeExport('0002.ndjson', [{ ...a, TrangThaiHoSo: '10' }]);
    await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(spine.sim.dossier(a!.MaHoSo)).toMatchObject({ pushes: 2, isUpdatingSeen: ['False', 'True'] });
    expect(spine.sim.dossier(a!.MaHoSo)?.progress).toHaveLength(a!.QuaTrinhXuLy!.length);
  });

  it('isolates a failing source: the others are pulled and delivered, the run exits 2 naming the error', async () => {
    spine = await startSpine({ count: 3 });
    const config = { ...spine.config, sources: [{ ...spine.config.sources[0]!, id: 'gone', options: { path: `${spine.dir}/missing` } }, ...spine.config.sources] };
    const s = await runSync(spine.ledger, config, { env: spine.env });
    expect(s.exitCode).toBe(2);
    expect(s.sources[0]).toMatchObject({ id: 'gone', pulled: 0, error: expect.stringMatching(/missing.*does not exist/) });
    expect(s.sources[1]).toMatchObject({ id: 'local', new: 3 });
    expect(s.targets[0]).toMatchObject({ delivered: 3 });
  });

  it('coalesces versions: a dossier changed twice before delivery is sent once, latest version, then "True" for a later change', async () => {
    spine = await startSpine({ count: 3 });
    const [a] = spine.records;
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    await spine.writeExport('0002.ndjson', [{ ...a, TrangThaiHoSo: '4' }]);
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    await spine.writeExport('0003.ndjson', [{ ...a, TrangThaiHoSo: '8', GhiChu: 'Dừng xử lý theo đề nghị' }]);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 3, pending: 0, dead: 0 });
    expect(spine.sim.dossier(a!.MaHoSo)).toMatchObject({ pushes: 1, isUpdatingSeen: ['False'] });
    expect(spine.sim.dossier(a!.MaHoSo)?.record).toMatchObject({ TrangThaiHoSo: '8', GhiChu: 'Dừng xử lý theo đề nghị' });

    await spine.writeExport('0004.ndjson', [{ ...a, TrangThaiHoSo: '10' }]);
    await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(spine.sim.dossier(a!.MaHoSo)).toMatchObject({ pushes: 2, isUpdatingSeen: ['False', 'True'] });
    expect(spine.sim.dossier(a!.MaHoSo)?.record.TrangThaiHoSo).toBe('10');
  });

  it('switches to isUpdating "True" when the portal answers "đã tồn tại"', async () => {
    spine = await startSpine({ count: 2 });
    const [a] = spine.records;
    await runSync(spine.ledger, spine.config, { env: spine.env });
    // The ledger forgets the portal has it (e.g. restored from an old backup); the portal answers "đã tồn tại".
    await spine.ledger.rows(sql`update deliveries set portal_has = false, dossier_acked_version = null, status = 'pending'`);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false });
    expect(s.targets[0]).toMatchObject({ delivered: 2, dead: 0 });
    expect(spine.sim.dossier(a!.MaHoSo)?.isUpdatingSeen).toEqual(['False', 'False', 'True']);
  });

  it('logs in again when the session expires and carries on', async () => {
    spine = await startSpine({ count: 10, target: { concurrency: 1 } });
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    spine.sim.setFaults({ pExpireSession: 0.3 });
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 10, dead: 0, pending: 0 });
    expect(spine.sim.stats().calls.login?.ok ?? 0).toBeGreaterThan(1);
  });

  it('honours Retry-After before the next attempt', async () => {
    spine = await startSpine({ count: 1, faults: { p429: 1, retryAfterSeconds: 1 } });
    setTimeout(() => spine?.sim.setFaults({}), 1500);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 1, dead: 0 });
    expect(s.targets[0]!.failedAttempts).toBeGreaterThanOrEqual(1);
    const rows = await spine.ledger.rows<{ outcome: string; at: number }>(
      sql`select outcome, (extract(epoch from created_at) * 1000)::float8 as at from receipts where service = 'DongBoHoSoMC' order by id`,
    );
    for (let i = 1; i < rows.length; i++) {
      if (rows[i - 1]!.outcome === 'http_error') expect(rows[i]!.at - rows[i - 1]!.at).toBeGreaterThanOrEqual(950);
    }
    expect(rows.at(-1)?.outcome).toBe('ok');
  });

  it('dead-letters after the bounded number of attempts, keeping the last answer, and exits 2', async () => {
    spine = await startSpine({ count: 2, faults: { p503: 1 }, target: { retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 20 } } });
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.exitCode).toBe(2);
    expect(s.targets[0]).toMatchObject({ delivered: 0, failedAttempts: 6, pending: 0, dead: 2 });
    const rows = await spine.ledger.rows<{ attempts: number; last_error: string }>(sql`select attempts, last_error from deliveries`);
    for (const r of rows) {
      expect(r.attempts).toBe(3);
      expect(r.last_error).toMatch(/503/);
    }
  });

  it('dead-letters a rejected dossier at once with the portal message, without retrying it', async () => {
    spine = await startSpine({ count: 1, simUnitCode: '000.00.00.H99' });
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.targets[0]).toMatchObject({ delivered: 0, failedAttempts: 1, dead: 1 });
    const [row] = await spine.ledger.rows<{ last_answer: unknown; attempts: number }>(sql`select last_answer, attempts from deliveries`);
    const answer = (typeof row?.last_answer === 'string' ? JSON.parse(row.last_answer) : row?.last_answer) as { message: string };
    expect(answer.message).toBeTruthy();
    expect(row?.attempts).toBe(1);
  });

  it('keeps delivering when the run deadline passes and leaves the rest pending for the next run', async () => {
    spine = await startSpine({ count: 3, faults: { p503: 1 }, deadlineMs: 1000, target: { retry: { maxAttempts: 50, minDelayMs: 300, maxDelayMs: 400 } } });
    const s = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(s.exitCode).toBe(2);
    expect(s.targets[0]).toMatchObject({ delivered: 0, pending: 3, dead: 0 });
    spine.sim.setFaults({});
    await spine.ledger.rows(sql`update deliveries set next_attempt_at = now()`);
    const again = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false });
    expect(again.targets[0]).toMatchObject({ delivered: 3, pending: 0 });
  });
});
