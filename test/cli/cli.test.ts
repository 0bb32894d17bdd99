/**
 * The CLI as scripts use it: exit codes, JSON outputs and error messages (run in-process).
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { cli, openCliWorkspace, type CliWorkspace } from '../support/cli.ts';
import type { PortalSim } from '../../src/portal-sim/index.ts';
import { openLedger } from '../../src/ledger/db.ts';
import { createRunLock } from '../../src/scheduler/lock.ts';

let dir: string;
let sim: PortalSim;
let pg: CliWorkspace['pg'];
let close: CliWorkspace['close'];

beforeEach(async () => void ({ dir, sim, pg, close } = await openCliWorkspace('lt-cli-', { portalPassword: 'pw', env: { NATIONAL_PASSWORD: 'pw' } })));
afterEach(() => close());


async function writeConfig(extra: Record<string, unknown> = {}): Promise<string> {
  await mkdir(join(dir, 'exports'), { recursive: true });
  const file = join(dir, 'lienthong.config.json');
  await writeFile(
    file,
    JSON.stringify({
      database: `pglite:${join(dir, 'db')}`,
      sources: [{ id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } }],
      targets: [{ id: 'national', kind: 'dvcqg', style: 'session', baseUrl: sim.url, loginPath: '/auth', servicePath: '/service', unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 } }],
      ...extra,
    }),
  );
  return file;
}

describe('lienthong CLI', () => {
  it('lists every command with an example in --help', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const name of ['sync', 'dossier', 'quarantine', 'portal-sim', 'demo']) expect(out).toMatch(new RegExp(`\\n  ${name}\\s`));
    expect(out).toMatch(/e\.g\. npx lienthong sync/);
  });

  it('exits 1 on an unknown command', async () => {
    expect((await cli('frobnicate')).code).toBe(1);
  });

  it('exits 1 on a bad configuration and lists every problem with its path', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ sources: [{ id: 'Bad Id', adapter: 'nope' }], targets: [{ id: 't', style: 'session', baseUrl: 'not a url' }] }));
    const { code, err } = await cli('sync', '--config', file);
    expect(code).toBe(1);
    expect(err).toMatch(/sources\[0\]\.id/);
    expect(err).toMatch(/targets\[0\]\.baseUrl/);
    expect(err).toMatch(/targets\[0\]\.unitCode/);
    expect(err).toMatch(/config_error/);
  });

  it('exits 1 when the configuration file is missing', async () => {
    const { code, err } = await cli('sync', '--config', join(dir, 'missing.json'));
    expect(code).toBe(1);
    expect(err).toMatch(/cannot read the configuration file/);
  });

  it('syncs with --json, then shows a dossier and the quarantine as JSON', async () => {
    const config = await writeConfig();
    const records = [...generateDossiers({ count: 4, seed: 8 })];
    await writeFile(join(dir, 'exports', 'a.ndjson'), [...records.map((r) => JSON.stringify(r)), JSON.stringify({ ...records[0], MaHoSo: 'X-1', NgayTiepNhan: '15/07/2024' })].join('\n'));
    const sync = await cli('sync', '--config', config, '--json');
    expect(sync.code).toBe(2);
    const summary = JSON.parse(sync.out);
    expect(Object.keys(summary).sort()).toEqual(['exitCode', 'finishedAt', 'runId', 'sources', 'startedAt', 'targets']);
    expect(summary.sources).toEqual([{ id: 'qt-motcua', pulled: 5, new: 4, changed: 0, unchanged: 0, quarantined: 1 }]);
    expect(summary.targets).toEqual([{ id: 'national', delivered: 4, failedAttempts: 0, pending: 0, dead: 0 }]);

    const shown = await cli('dossier', 'show', records[1]!.MaHoSo, '--config', config, '--json');
    expect(shown.code).toBe(0);
    const detail = JSON.parse(shown.out);
    expect(detail.canonical.code).toBe(records[1]!.MaHoSo);
    expect(detail.raw.TrichYeuHoSo).toBe(records[1]!.TrichYeuHoSo);
    expect(detail.deliveries).toEqual([expect.objectContaining({ target_id: 'national', status: 'delivered', delivered_version: 1 })]);
    expect(detail.receipts.map((r: { service: string }) => r.service).sort()).toEqual(['CapNhatTienDoHoSoMC', 'DongBoHoSoMC']);
    // For people: Vietnam time, no ISO/UTC instant (the portal's NgayTiepNhan is local yyyyMMddHHmmss).
    const text = (await cli('dossier', 'show', records[1]!.MaHoSo, '--config', config)).out;
    const t = records[1]!.NgayTiepNhan as string;
    expect(text).toContain(`"receivedAt": "${t.slice(6, 8)}/${t.slice(4, 6)}/${t.slice(0, 4)} ${t.slice(8, 10)}:${t.slice(10, 12)}"`);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00)/);

    const q = await cli('quarantine', 'list', '--config', config, '--json');
    expect(JSON.parse(q.out)).toEqual([expect.objectContaining({ sourceId: 'qt-motcua', recordKey: 'X-1', location: 'a.ndjson:5', issues: [expect.objectContaining({ path: 'NgayTiepNhan' })] })]);

    const human = await cli('quarantine', 'list', '--config', config);
    expect(human.out).toMatch(/NgayTiepNhan/);
    expect((await cli('dossier', 'show', 'NO-SUCH', '--config', config)).code).toBe(1);
  });

  it('skips a source whose run is already in progress elsewhere, and says so (exit 2)', async () => {
    const config = await writeConfig();
    await writeFile(join(dir, 'exports', 'a.ndjson'), [...generateDossiers({ count: 2, seed: 4 })].map((r) => JSON.stringify(r)).join('\n'));
    if (!pg) {
      // PGlite: one process per folder (pid lock, see src/ledger/db.test.ts); within it the run lock is local.
      const ledger = await openLedger('pglite:memory');
      const lock = createRunLock(ledger);
      const first = await lock.tryAcquire('sync:qt-motcua');
      expect(first).not.toBeNull();
      expect(await lock.tryAcquire('sync:qt-motcua')).toBeNull();
      await first?.();
      await ledger.close();
      return;
    }
    // PostgreSQL: another process's hold is a real advisory lock.
    const other = await openLedger(pg.url);
    const release = await createRunLock(other).tryAcquire('sync:qt-motcua');
    try {
      const res = await cli('sync', '--config', config, '--json');
      expect(res.code).toBe(2);
      expect(JSON.parse(res.out).sources).toEqual([expect.objectContaining({ id: 'qt-motcua', pulled: 0, error: expect.stringMatching(/already in progress/) })]);
    } finally {
      await release?.();
      await other.close();
    }
  });
});
