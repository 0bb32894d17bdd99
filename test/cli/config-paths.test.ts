/**
 * Paths in the configuration file are relative to that file, not to the working directory the
 * command was started from: `pglite:./db`, a file adapter's `options.path`, `reports.*` files and
 * `evidence.keyFile`. The command runs here with the repository as working directory and the
 * configuration in a temporary folder.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { loadConfig } from '../../src/config.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { cli } from '../support/cli.ts';

let dir: string;
let sim: PortalSim;
const savedUrl = process.env['DATABASE_URL'];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-paths-'));
  sim = await startPortalSim({ port: 0, username: 'lienthong', password: 'pw' });
  // The embedded database is what this test is about: pglite:./db beside the file.
  delete process.env['DATABASE_URL'];
  process.env['NATIONAL_PASSWORD'] = 'pw';
});
afterEach(async () => {
  if (savedUrl !== undefined) process.env['DATABASE_URL'] = savedUrl;
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(): Promise<string> {
  await mkdir(join(dir, 'exports'), { recursive: true });
  const file = join(dir, 'lienthong.config.json');
  await writeFile(
    file,
    JSON.stringify({
      database: 'pglite:./db',
      sources: [{ id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: './exports' } }],
      targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 } }],
      reports: { catalog: 'data/catalog.json', units: '../shared-units.json' },
      evidence: { keyFile: 'keys/signing.pem' },
    }),
  );
  return file;
}

describe('paths relative to the configuration file', () => {
  it('loadConfig resolves every file path against the folder of the file', async () => {
    const config = await loadConfig(await writeConfig());
    expect(config.database).toBe(`pglite:${join(dir, 'db')}`);
    expect(config.sources[0]?.options['path']).toBe(join(dir, 'exports'));
    expect(config.reports.catalog).toBe(join(dir, 'data', 'catalog.json'));
    expect(config.reports.units).toBe(join(dir, '..', 'shared-units.json'));
    expect(config.evidence.keyFile).toBe(join(dir, 'keys', 'signing.pem'));
    // A URL path of an HTTP adapter is not a file: left alone.
    await writeFile(join(dir, 'rest.json'), JSON.stringify({ database: 'pglite:memory', sources: [{ id: 'r', adapter: 'rest-json', options: { baseUrl: 'http://127.0.0.1:1', path: '/api/hoso' } }] }));
    const rest = await loadConfig(join(dir, 'rest.json'));
    expect(rest.database).toBe('pglite:memory');
    expect(rest.sources[0]?.options['path']).toBe('/api/hoso');
  });

  it('sync started from another working directory reads the exports and opens the database beside the file', async () => {
    const file = await writeConfig();
    const records = [...generateDossiers({ count: 3, seed: 9 })];
    await writeFile(join(dir, 'exports', '0001.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(process.cwd()).not.toBe(dir);
    const { code, out } = await cli('sync', '--config', file, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out).targets[0]).toMatchObject({ delivered: 3 });
    expect((await stat(join(dir, 'db'))).isDirectory()).toBe(true);
    for (const r of records) expect(sim.dossier(r.MaHoSo)).toBeDefined();
  });
});
