/**
 * A dead process's run is marked `interrupted` even when its pid now belongs to another process:
 * the run records the instance of its process (boot, pid, start time) and the next process
 * compares that, not only whether the pid is alive. On PGlite, or PostgreSQL with DATABASE_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../src/ledger/db.ts';
import { markInterruptedRuns, processInstance, runningSummaryJson } from '../../src/pipeline/runs.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

let dir: string;
let pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
let ledger: Ledger;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-run-instance-'));
  pg = await createPostgresDatabase();
  ledger = await openLedger(pg?.url ?? `pglite:${join(dir, 'db')}`);
});
beforeEach(async () => {
  await ledger.rows(sql`delete from runs`);
});
afterEach(() => {
  if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});
afterAll(async () => {
  await ledger.close();
  await pg?.drop();
  await rm(dir, { recursive: true, force: true });
});

const RUN = { reused: '55555555-5555-4555-8555-555555555555', same: '66666666-6666-4666-8666-666666666666', own: '77777777-7777-4777-8777-777777777777' };

/** A running run of this host as a process of `pid` with `instance` left it, holding a valid lease. */
async function runningRow(id: string, pid: number, instance: string | null): Promise<void> {
  await ledger.rows(sql`insert into runs (id, kind, host, pid, lease_until, summary)
    values (${id}::uuid, 'sync', ${hostname()}, ${pid}, now() + interval '1 hour', ${JSON.stringify({ instance })}::jsonb)`);
}
const statusOf = async (id: string) => (await ledger.rows<{ status: string }>(sql`select status from runs where id = ${id}::uuid`))[0]?.status;

describe('a run whose pid was given to another process', () => {
  it('reads who a process is from /proc: the same for one process, another for another', async () => {
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const mine = processInstance(process.pid);
    expect(mine).toMatch(new RegExp(`^[^:]+:${process.pid}:\\d+$`));
    expect(processInstance(process.pid)).toBe(mine);
    expect(processInstance(pid)).toMatch(new RegExp(`:${pid}:\\d+$`));
    expect(processInstance(pid)).not.toBe(mine);
    expect(JSON.parse(runningSummaryJson())).toEqual({ instance: mine });
  });

  it('marks interrupted a run whose pid is alive but is another process, and keeps the run of the live one', async () => {
    // A live process of this host (the pid a dead run's process had, given again by the kernel).
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const live = processInstance(pid);
    expect(live).not.toBeNull();
    // The dead run's process had the same pid but started at another time.
    await runningRow(RUN.reused, pid, `${String(live).replace(/:\d+$/, '')}:1`);
    await runningRow(RUN.same, pid, live);
    const marked = await markInterruptedRuns(ledger);
    expect(marked.map((r) => [r.runId, r.pid])).toEqual([[RUN.reused, pid]]);
    expect(marked[0]?.reason).toBe(`its process (pid ${pid} on ${hostname()}) is gone; that pid is another process now`);
    expect(await statusOf(RUN.reused)).toBe('interrupted');
    expect(await statusOf(RUN.same)).toBe('running');
    const [row] = await ledger.rows<{ summary: unknown }>(sql`select summary from runs where id = ${RUN.reused}::uuid`);
    const summary = (typeof row?.summary === 'string' ? JSON.parse(row.summary) : row?.summary) as { interrupted?: string };
    expect(summary.interrupted).toMatch(/did not finish: its process .* is gone; that pid is another process now/);
  });

  it("marks interrupted a run left with this very process's pid by an earlier process (a restarted container)", async () => {
    const mine = processInstance(process.pid);
    await runningRow(RUN.own, process.pid, `${String(mine).replace(/:\d+$/, '')}:1`);
    await runningRow(RUN.same, process.pid, mine);
    expect((await markInterruptedRuns(ledger)).map((r) => r.runId)).toEqual([RUN.own]);
    expect(await statusOf(RUN.same)).toBe('running');
  });

  it('judges by the pid and the lease alone when the instance is not known (an older run, no /proc)', async () => {
    await runningRow(RUN.same, process.pid, null);
    await runningRow(RUN.reused, 4242, 'boot:4242:1');
    expect(await markInterruptedRuns(ledger, { alive: () => true, instanceOf: () => null })).toEqual([]);
    expect(await statusOf(RUN.same)).toBe('running');
    expect(await statusOf(RUN.reused)).toBe('running');
  });
});
