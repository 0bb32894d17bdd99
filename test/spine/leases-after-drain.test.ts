/**
 * A drain holds no lease once it has ended, whatever ended it, and `deliveries retry` sends again
 * what a run that has ended (or a process that no longer runs) left leased: otherwise those
 * deliveries stay pending, skipped by the retry and by the next sync, until their lease expires
 * (sync.leaseMs). Runs on PGlite, or on PostgreSQL with DATABASE_URL.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { retryDeliveries } from '../../src/outbox/manage.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

interface Row {
  id: number;
  code: string;
  status: string;
  attempts: number;
  lease_owner: string | null;
}
const deliveries = (s: Spine) =>
  s.ledger.rows<Row>(sql`select q.id::int as id, d.code, q.status, q.attempts::int as attempts, q.lease_owner from deliveries q join dossiers d on d.id = q.dossier_id order by q.id`);

describe('leases after a drain', () => {
  it('a drain stopped by a failing sender gives back every lease it held, and retry then sync deliver them all', async () => {
    spine = await startSpine({ count: 4, target: { concurrency: 1, maxConcurrency: 1 } });
    expect((await runSync(spine.ledger, spine.config, { env: spine.env, push: false })).sources[0]).toMatchObject({ new: 4 });
    const [first] = spine.records;
    // The ledger refuses to record the first dossier as delivered: its sender fails after the portal took it.
    await spine.ledger.rows(
      sql.raw(`create function refuse_delivered() returns trigger language plpgsql as $$
      begin
        if new.status = 'delivered' and new.dossier_id = (select id from dossiers where code = '${first!.MaHoSo}') then
          raise exception 'refused by the test';
        end if;
        return new;
      end $$`),
    );
    await spine.ledger.rows(sql.raw(`create trigger refuse_delivered before update on deliveries for each row execute function refuse_delivered()`));

    const failed = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false }).then(
      () => null,
      (e: unknown) => e as Error & { cause?: Error },
    );
    expect(`${failed?.message} ${failed?.cause?.message}`).toMatch(/refused by the test/);
    const after = await deliveries(spine);
    // Nothing is left leased by the run that ended; the refused one and those not reached yet are pending.
    expect(after.filter((r) => r.lease_owner !== null)).toEqual([]);
    const refused = after.find((r) => r.code === first!.MaHoSo)!;
    expect(refused).toMatchObject({ status: 'pending', lease_owner: null });
    const pending = after.filter((r) => r.status === 'pending').map((r) => r.id);
    expect(pending.length).toBeGreaterThan(0);

    await spine.ledger.rows(sql.raw(`drop trigger refuse_delivered on deliveries`));
    const retried = await retryDeliveries(spine.ledger, { target: 'national', status: 'pending' });
    expect(retried.ids).toEqual(pending);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false });
    expect(s.targets[0]).toMatchObject({ pending: 0, dead: 0 });
    for (const r of spine.records) expect(spine.sim.dossier(r.MaHoSo), r.MaHoSo).toBeDefined();
  });

  it('retry sends again what an ended run or a dead process of this host left leased, never what a running one holds', async () => {
    spine = await startSpine({ count: 4 });
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    const [a, b, c, d] = await deliveries(spine);
    const ended = randomUUID();
    const running = randomUUID();
    await spine.ledger.rows(sql`insert into runs (id, kind, started_at, finished_at, status, host, pid)
      values (${ended}::uuid, 'sync', now() - interval '1 minute', now(), 'failed', ${hostname()}, ${process.pid})`);
    await spine.ledger.rows(sql`insert into runs (id, kind, started_at, status, host, pid, lease_until)
      values (${running}::uuid, 'sync', now(), 'running', ${hostname()}, ${process.pid}, now() + interval '1 hour')`);
    // A process that has exited: its pid no longer runs.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const lease = async (id: number, owner: string) => {
      await spine!.ledger.rows(sql`update deliveries set lease_owner = ${owner}, lease_until = now() + interval '1 hour', attempts = 2 where id = ${id}`);
    };
    await lease(a!.id, `${hostname()}:${process.pid}:${ended}`);
    await lease(b!.id, `${hostname()}:${gone}:${randomUUID()}`);
    await lease(c!.id, `${hostname()}:${process.pid}:${running}`);

    const retried = await retryDeliveries(spine.ledger, { target: 'national', status: 'pending' });
    expect(retried.ids).toEqual([a!.id, b!.id, d!.id]);
    const rows = await deliveries(spine);
    expect(rows.map((r) => [r.code, r.attempts, r.lease_owner])).toEqual([
      [a!.code, 0, null],
      [b!.code, 0, null],
      [c!.code, 2, `${hostname()}:${process.pid}:${running}`],
      [d!.code, 0, null],
    ]);
  });
});
