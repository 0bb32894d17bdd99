/**
 * The scheduler of `serve`: per-source cron, never two runs of one source at once (advisory lock
 * on PostgreSQL, across connections as across processes), missed runs reported.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/db.ts';
import { silentLogger } from '../../src/logger.ts';
import { runSync, type RunSummary } from '../../src/pipeline/sync.ts';
import { createRunLock } from '../../src/scheduler/lock.ts';
import { missedSince } from '../../src/scheduler/missed.ts';
import { checkSchedules, createScheduler } from '../../src/scheduler/scheduler.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const waitFor = async (pred: () => Promise<boolean> | boolean, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('run lock', () => {
  it('is held by one holder at a time and free again once released', async () => {
    spine = await startSpine({ count: 1 });
    const lock = createRunLock(spine.ledger);
    const release = await lock.tryAcquire('sync:local');
    expect(release).not.toBeNull();
    expect(await lock.tryAcquire('sync:local')).toBeNull();
    const other = await lock.tryAcquire('sync:other');
    expect(other).not.toBeNull();
    await release!();
    const again = await lock.tryAcquire('sync:local');
    expect(again).not.toBeNull();
    await again!();
    await other!();
  });

  it('excludes another connection to the same PostgreSQL, as another process would be (PGlite: one process only)', async () => {
    spine = await startSpine({ count: 1 });
    if (!spine.ledger.url) {
      expect(spine.ledger.kind).toBe('pglite');
      return;
    }
    const other = await openLedger(spine.ledger.url, { migrate: false });
    try {
      const mine = await createRunLock(spine.ledger).tryAcquire('sync:local');
      expect(mine).not.toBeNull();
      expect(await createRunLock(other).tryAcquire('sync:local')).toBeNull();
      await mine!();
      const theirs = await createRunLock(other).tryAcquire('sync:local');
      expect(theirs).not.toBeNull();
      await theirs!();
    } finally {
      await other.close();
    }
  });
});

describe('scheduler', () => {
  it('refuses a schedule that is not a cron expression, naming the source', () => {
    expect(() => checkSchedules({ sources: [{ id: 'a', schedule: '0 1 * *  foo' }] } as never)).toThrow(/sources\[0\]\.schedule/);
  });

  it('lists the scheduled times missed since the last run, in Vietnam time', () => {
    const missed = missedSince('0 1 * * *', new Date('2026-11-20T18:00:30Z'), new Date('2026-11-23T03:00:00Z'));
    expect(missed.map((d) => d.toISOString())).toEqual(['2026-11-21T18:00:00.000Z', '2026-11-22T18:00:00.000Z']);
  });

  it('runs a source on its cron and reports a tick that finds the previous run still going', async () => {
    spine = await startSpine({ count: 5 });
    const s = spine;
    s.config.sources[0]!.schedule = '* * * * * *';
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const scheduler = createScheduler({
      ledger: s.ledger,
      config: s.config,
      logger: silentLogger(),
      runSource: async (id): Promise<RunSummary> => {
        runs++;
        const summary = await runSync(s.ledger, s.config, { env: s.env, sourceIds: [id] });
        await gate;
        return summary;
      },
    });
    await scheduler.start();
    try {
      await waitFor(() => scheduler.status('local').missedRuns.length >= 1);
      expect(runs).toBe(1);
      expect(scheduler.status('local')).toMatchObject({ schedule: '* * * * * *', running: true });
      expect(scheduler.status('local').missedRuns[0]!.reason).toBe('still_running');
      await expect(scheduler.trigger('local')).rejects.toMatchObject({ code: 'run_in_progress', status: 409 });
      const missedRows = await s.ledger.rows<{ n: number }>(sql`select count(*)::int as n from runs where status = 'missed'`);
      expect(missedRows[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      release();
      await scheduler.stop();
    }
    expect(s.sim.stats().dossiers).toBe(5);
  });

  it('reports at start-up the runs missed while no process was running, once', async () => {
    spine = await startSpine({ count: 1 });
    const s = spine;
    s.config.sources[0]!.schedule = '0 1 * * *';
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000 - 3_600_000).toISOString();
    await s.ledger.rows(sql`insert into runs (id, kind, started_at, finished_at, status, summary)
      values (gen_random_uuid(), 'sync', ${twoDaysAgo}, ${twoDaysAgo}, 'ok', ${JSON.stringify({ sources: [{ id: 'local' }] })}::jsonb)`);
    const make = () => createScheduler({ ledger: s.ledger, config: s.config, logger: silentLogger(), runSource: () => Promise.reject(new Error('not expected')) });
    const first = make();
    await first.start();
    await first.stop();
    const missed = first.status('local').missedRuns;
    expect(missed.length).toBeGreaterThanOrEqual(2);
    expect(missed.every((m) => m.reason === 'not_running')).toBe(true);
    const second = make();
    await second.start();
    await second.stop();
    expect(second.status('local').missedRuns).toEqual([]);
  });

  it('starts a run on demand and refuses a second one while it runs', async () => {
    spine = await startSpine({ count: 3 });
    const s = spine;
    const scheduler = createScheduler({ ledger: s.ledger, config: s.config, logger: silentLogger(), runSource: (id) => runSync(s.ledger, s.config, { env: s.env, sourceIds: [id] }) });
    await scheduler.start();
    const started = await scheduler.trigger('local');
    expect(started.sourceId).toBe('local');
    await expect(scheduler.trigger('local')).rejects.toMatchObject({ code: 'run_in_progress' });
    await scheduler.stop();
    expect(s.sim.stats().dossiers).toBe(3);
    expect(scheduler.status('local').running).toBe(false);
  });
});
