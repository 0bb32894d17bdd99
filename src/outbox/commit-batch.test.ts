import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { CommitBatch, mergePatches } from './commit-batch.ts';

let ledger: TestLedger | undefined;
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
});

/** Two pending deliveries of one dossier (two targets), leased; returns their ids. */
async function plant(l: TestLedger): Promise<number[]> {
  const [d] = await l.rows<{ id: number }>(sql`insert into dossiers (source_id, code, procedure_code, status, raw, canonical, content_hash)
    values ('s', 'H48.01-260101-0001', '1.001', 1, '{}'::jsonb, '{}'::jsonb, 'h') returning id`);
  const rows = await l.rows<{ id: number }>(sql`insert into deliveries (dossier_id, target_id, source_id, version, lease_owner, lease_until)
    values (${d!.id}, 'a', 's', 1, 'me', now() + interval '1 minute'), (${d!.id}, 'b', 's', 1, 'me', now() + interval '1 minute') returning id`);
  return rows.map((r) => Number(r.id));
}

describe('mergePatches', () => {
  it('folds the writes of one delivery in order: later fields win, earlier ones stay', () => {
    expect(mergePatches([{ id: 1, dossierAckedVersion: 2, portalHas: true }, { id: 1, progressAcked: { count: 10, hash: 'x' } }, { id: 1, progressAcked: { count: 20, hash: 'y' } }])).toEqual({
      id: 1,
      dossierAckedVersion: 2,
      portalHas: true,
      progressAcked: { count: 20, hash: 'y' },
    });
  });
});

describe('CommitBatch', () => {
  it('writes queued changes of several deliveries in one statement, in order, and reports the guarded outcome', async () => {
    ledger = await openTestLedger();
    const [a, b] = await plant(ledger);
    // b: a newer version was stored meanwhile, so its completion stays pending.
    await ledger.rows(sql`update deliveries set version = 2 where id = ${b!}`);
    const batch = new CommitBatch(ledger);
    const ack = batch.write({ id: a!, dossierAckedVersion: 1, portalHas: true });
    const done = batch.write({ id: a!, progressAcked: { count: 3, hash: 'h3' }, final: { kind: 'delivered', version: 1 } });
    const other = batch.write({ id: b!, final: { kind: 'delivered', version: 1 } });
    expect(await Promise.all([ack, done, other])).toEqual([null, 'delivered', 'pending']);
    await batch.close();
    expect(batch.statements).toBe(1);
    const rows = await ledger.rows<{ id: number; status: string; dossier_acked_version: number | null; progress_acked: number; lease_owner: string | null }>(
      sql`select id, status, dossier_acked_version, progress_acked, lease_owner from deliveries order by id`,
    );
    expect(rows.map((r) => [Number(r.id), r.status, r.dossier_acked_version, r.progress_acked, r.lease_owner])).toEqual([
      [a, 'delivered', 1, 3, null],
      [b, 'pending', null, 0, null],
    ]);
  });

  it('flushes at maxItems: more writes than one statement holds go in several', async () => {
    ledger = await openTestLedger();
    const [a] = await plant(ledger);
    const batch = new CommitBatch(ledger, { maxItems: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => batch.write({ id: a!, progressAcked: { count: n, hash: `h${n}` } })));
    await batch.close();
    expect(batch.statements).toBe(3);
    const [r] = await ledger.rows<{ progress_acked: number }>(sql`select progress_acked from deliveries where id = ${a!}`);
    expect(r?.progress_acked).toBe(5);
  });

  it('a failed write fails that delivery (its later writes refused, close() throws) and not the others of the batch', async () => {
    ledger = await openTestLedger();
    const [a, b] = await plant(ledger);
    const batch = new CommitBatch(ledger);
    // attempts is an int: 2^40 makes this delivery's row fail the statement.
    const bad = batch.write({ id: a!, attempts: 2 ** 40 });
    const good = batch.write({ id: b!, final: { kind: 'dead', version: 1 } });
    await expect(bad).rejects.toThrow();
    expect(await good).toBe('dead');
    await expect(batch.write({ id: a!, final: { kind: 'delivered', version: 1 } })).rejects.toThrow();
    await expect(batch.close()).rejects.toThrow();
    const rows = await ledger.rows<{ id: number; status: string }>(sql`select id, status from deliveries order by id`);
    expect(rows.map((r) => [Number(r.id), r.status])).toEqual([
      [a, 'pending'],
      [b, 'dead'],
    ]);
  });
});
