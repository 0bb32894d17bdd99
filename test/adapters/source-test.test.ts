/**
 * `lienthong source test <id>`: a live dry run of one source — first page pulled and mapped, the
 * options shown redacted, nothing written (the configured database is never opened).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { FIXTURE_OPTIONS } from '../../adapters/csv-xlsx/fixtures/options.ts';
import { run } from '../../src/cli/commands/source.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-source-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('pulls and maps the first page of a source without writing anything, exit 2 on an invalid record', async () => {
  const config = join(dir, 'lienthong.config.json');
  await writeFile(config, JSON.stringify({ database: `pglite:${join(dir, 'db')}`, sources: [{ id: 'xa-phuong', adapter: 'csv-xlsx', options: { ...FIXTURE_OPTIONS, passwordEnv: 'LT_SOURCE_TEST_SECRET' } }] }));
  // An option the adapter does not know is refused, naming it: nothing is silently ignored.
  vi.stubEnv('LT_SOURCE_TEST_SECRET', 'S3cret-value');
  const refused = await run(['test', 'xa-phuong', '--config', config]).catch((e: Error) => e);
  expect(String(refused)).toMatch(/sources\[0\]\.options\.passwordEnv: unknown key/);
  expect(String(refused)).not.toContain('S3cret-value');
  await writeFile(config, JSON.stringify({ database: `pglite:${join(dir, 'db')}`, sources: [{ id: 'xa-phuong', adapter: 'csv-xlsx', options: FIXTURE_OPTIONS }] }));
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    expect(await run(['test', 'xa-phuong', '--config', config, '--json', '--limit', '5'])).toBe(2);
  } finally {
    log.mockRestore();
    vi.unstubAllEnvs();
  }
  const report = JSON.parse(out.join('\n')) as { records: number; valid: number; invalid: number; sample: { key: string; ok: boolean }[] };
  expect(report).toMatchObject({ records: 3, valid: 2, invalid: 1 });
  expect(report.sample.map((s) => s.ok)).toStrictEqual([true, true, false]);
  expect(existsSync(join(dir, 'db'))).toBe(false);
});

it('prints the received time in Vietnam time (dd/MM/yyyy HH:mm), never an ISO instant', async () => {
  const config = join(dir, 'local-times.config.json');
  await writeFile(config, JSON.stringify({ database: `pglite:${join(dir, 'db2')}`, sources: [{ id: 'xa-phuong', adapter: 'csv-xlsx', options: FIXTURE_OPTIONS }] }));
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    await run(['test', 'xa-phuong', '--config', config, '--limit', '5']);
  } finally {
    log.mockRestore();
  }
  const text = out.join('\n');
  expect(text).toContain('received (Vietnam time)');
  expect(text).toMatch(/\b\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\b/);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
});

