/**
 * The operator's run: the environment is checked before anything is read, a killed run ends as
 * interrupted, a failed target says why and when it is tried next, and a source whose mapping
 * changed is read again.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { openLedger } from '../../src/ledger/db.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { cli, openCliWorkspace, type CliWorkspace } from '../support/cli.ts';
import { markInterruptedRuns } from '../../src/pipeline/runs.ts';

let dir: string;
let sim: PortalSim;
let pg: CliWorkspace['pg'];
let close: CliWorkspace['close'];

beforeEach(async () => void ({ dir, sim, pg, close } = await openCliWorkspace('lt-runs-', { portalPassword: 'right-pw' })));
afterEach(() => close());

const database = () => pg?.url ?? `pglite:${join(dir, 'db')}`;

async function writeConfig(source: Record<string, unknown>, target: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, 'lienthong.config.json');
  await writeFile(
    file,
    JSON.stringify({
      database: database(),
      sources: [source],
      targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 2, minDelayMs: 10, maxDelayMs: 20 }, ...target }],
    }),
  );
  return file;
}

async function ndjsonSource(count = 3): Promise<Record<string, unknown>> {
  await mkdir(join(dir, 'exports'), { recursive: true });
  const records = [...generateDossiers({ count, seed: 21 })];
  await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n'));
  return { id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } };
}

async function withLedger<T>(fn: (l: Awaited<ReturnType<typeof openLedger>>) => Promise<T>): Promise<T> {
  const ledger = await openLedger(database());
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

describe('environment checked first', () => {
  it('stops before reading anything when a secret is missing, naming the target, the field and the variable', async () => {
    const config = await writeConfig(await ndjsonSource());
    const res = await cli('sync', '--config', config, '--json');
    expect(res.code).toBe(1);
    expect(res.err).toContain('target "national": passwordEnv: the environment variable NATIONAL_PASSWORD');
    expect(res.err).toMatch(/nothing was read, stored or sent/);
    await withLedger(async (l) => {
      expect(await l.rows(sql`select id from dossiers`)).toEqual([]);
      // No run was started, so none stays running.
      expect(await l.rows(sql`select id from runs where status = 'running'`)).toEqual([]);
    });
    process.env['NATIONAL_PASSWORD'] = 'right-pw';
    expect(JSON.parse((await cli('sync', '--config', config, '--json')).out).sources[0]).toMatchObject({ new: 3 });
  });
});

describe('every run ends with a final status', () => {
  it('marks interrupted the runs a dead process left running, and says so', async () => {
    const config = await writeConfig(await ndjsonSource(1));
    process.env['NATIONAL_PASSWORD'] = 'right-pw';
    expect((await cli('sync', '--config', config, '--quiet')).code).toBe(0);
    // A process that has exited: its pid is not alive any more.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const ids = { dead: '11111111-1111-4111-8111-111111111111', expired: '22222222-2222-4222-8222-222222222222', alive: '33333333-3333-4333-8333-333333333333' };
    await withLedger(async (l) => {
      await l.rows(sql`insert into runs (id, kind, host, pid) values (${ids.dead}::uuid, 'sync', ${hostname()}, ${deadPid})`);
      await l.rows(sql`insert into runs (id, kind, host, pid, lease_until) values (${ids.expired}::uuid, 'sync', 'other-host', 7, now() - interval '1 minute')`);
      await l.rows(sql`insert into runs (id, kind, host, pid, lease_until) values (${ids.alive}::uuid, 'sync', 'other-host', 8, now() + interval '1 hour')`);
    });
    const res = await cli('sync', '--config', config);
    expect(res.out).toContain(`Earlier run ${ids.dead.slice(0, 8)} did not finish (its process (pid ${deadPid} on ${hostname()}) is gone)`);
    expect(res.out).toContain(`Earlier run ${ids.expired.slice(0, 8)} did not finish`);
    await withLedger(async (l) => {
      const rows = await l.rows<{ id: string; status: string; finished_at: unknown; summary: { interrupted?: string } | string }>(sql`select id::text as id, status, finished_at, summary from runs where id in (${ids.dead}::uuid, ${ids.expired}::uuid, ${ids.alive}::uuid) order by id`);
      expect(rows.map((r) => [r.id, r.status])).toEqual([[ids.dead, 'interrupted'], [ids.expired, 'interrupted'], [ids.alive, 'running']]);
      // This host's clock ten minutes ahead of the database's: a lease still valid by the database's clock
      // is not taken for expired.
      const skewed = '44444444-4444-4444-8444-444444444444';
      await l.rows(sql`insert into runs (id, kind, host, pid, lease_until) values (${skewed}::uuid, 'sync', 'other-host', 9, now() + interval '30 seconds')`);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 10 * 60_000);
      try {
        expect(await markInterruptedRuns(l)).toEqual([]);
      } finally {
        vi.useRealTimers();
      }
      expect(await l.rows(sql`select status from runs where id = ${skewed}::uuid`)).toEqual([{ status: 'running' }]);
      const summary = typeof rows[0]!.summary === 'string' ? JSON.parse(rows[0]!.summary) : rows[0]!.summary;
      expect(summary.interrupted).toMatch(/did not finish/);
      expect(rows[0]!.finished_at).not.toBeNull();
      // The run that just finished holds no lease any more and ended ok.
      const [last] = await l.rows<{ status: string }>(sql`select status from runs where host = ${hostname()} and pid = ${process.pid} order by started_at desc limit 1`);
      expect(last?.status).toBe('ok');
    });
  });
});

describe('the run summary says why', () => {
  it('names a refused login, what to do about the dead deliveries, and points the footer at them', async () => {
    const config = await writeConfig(await ndjsonSource());
    process.env['NATIONAL_PASSWORD'] = 'wrong-pw';
    const json = JSON.parse((await cli('sync', '--config', config, '--json')).out);
    expect(json.targets[0].failure).toMatchObject({ dead: 3, cause: expect.stringMatching(/login refused/), next: expect.stringContaining('lienthong deliveries retry --target national') });
    expect(JSON.stringify(json)).not.toContain('wrong-pw');
    await withLedger((l) => l.rows(sql`update deliveries set status = 'pending', attempts = 0, next_attempt_at = now()`));
    const text = await cli('sync', '--config', config);
    expect(text.code).toBe(2);
    expect(text.out).toMatch(/target national: .*login refused/);
    expect(text.out).toContain('Needs attention: see `lienthong deliveries list --target national --status dead`');
    expect(text.out).not.toContain('lienthong quarantine list');
  });

  it('names the URL it could not reach and when the pending deliveries are tried next', async () => {
    const closed = await startPortalSim({ port: 0 });
    const url = closed.url;
    await closed.close();
    const config = await writeConfig(await ndjsonSource(2), { baseUrl: url });
    process.env['NATIONAL_PASSWORD'] = 'right-pw';
    const res = await cli('sync', '--config', config, '--json');
    const failure = JSON.parse(res.out).targets[0].failure;
    expect(failure.cause).toContain(`could not be reached at ${url.replace(/\/$/, '')}`);
    expect(failure.cause).toMatch(/connection failed \(ECONNREFUSED\)/);
  });
});

describe('a source is read again when its options change', () => {
  it('re-reads files after a mapping fix, and on --reread', async () => {
    await mkdir(join(dir, 'csv'));
    const head = 'MaHoSo,MaTTHC,TenTTHC,DonViXuLy,ChuHoSo,LoaiDoiTuong,TrichYeuHoSo,NgayTiepNhan,NgayHenTra,TrangThaiHoSo,HinhThuc,KenhThucHien';
    const row = (code: string, status: string) => `${code},1.004227,Đăng ký kết hôn,UBND phường Ngọc Hà,Đỗ Quang Đức,1,Đăng ký kết hôn,20261008090000,20261011170000,${status},0,1`;
    await writeFile(join(dir, 'csv', 'hs.csv'), [head, row('000.00.15.H48-261008-0001', 'Đang xử lý'), row('000.00.15.H48-261008-0002', 'Chờ bổ sung')].join('\n') + '\n');
    const options = { path: join(dir, 'csv'), encoding: 'utf-8', tables: { status: { 'Đang xử lý': 4 } } };
    let config = await writeConfig({ id: 'xa-phuong', adapter: 'csv-xlsx', options });
    process.env['NATIONAL_PASSWORD'] = 'right-pw';
    const sync = async (...extra: string[]) => JSON.parse((await cli('sync', '--config', config, '--json', '--no-push', ...extra)).out).sources[0];
    expect(await sync()).toMatchObject({ pulled: 2, new: 1, quarantined: 1 });
    expect(await sync()).toMatchObject({ pulled: 0 });

    // The code table fixed: the same, untouched file is read again.
    config = await writeConfig({ id: 'xa-phuong', adapter: 'csv-xlsx', options: { ...options, tables: { status: { 'Đang xử lý': 4, 'Chờ bổ sung': 5 } } } });
    expect(await sync()).toMatchObject({ reread: 'options', pulled: 2, new: 1, unchanged: 1, quarantined: 0 });
    expect(await sync()).toMatchObject({ pulled: 0 });
    const again = await sync('--reread', 'xa-phuong');
    expect(again).toMatchObject({ reread: 'asked', pulled: 2, unchanged: 2 });
    const bad = await cli('sync', '--config', config, '--reread', 'xa-phuongg');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--reread: no source "xa-phuongg"/);
  });
});
