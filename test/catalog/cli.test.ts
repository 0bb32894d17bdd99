/**
 * `lienthong catalog sync|show` in-process on PGlite or PostgreSQL (DATABASE_URL), and `report`
 * using the stored catalogue when there is one (as if its file were given), nothing otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, openCliWorkspace, syncGeneratedExports, type CliWorkspace } from '../support/cli.ts';

let dir: string;
let config: string;
let close: CliWorkspace['close'];
const SAMPLE = new URL('../../src/rules/data/procedures.sample.json', import.meta.url).pathname;

beforeAll(async () => {
  ({ dir, close } = await openCliWorkspace('lt-catalog-cli-', { env: { LIENTHONG_NOW: '2026-11-23T05:00:00.000Z' } }));
  let sync: Awaited<ReturnType<typeof cli>>;
  ({ config, sync } = await syncGeneratedExports(dir, { count: 300, seed: 5 }));
  expect(sync.code).toBe(0);
}, 120_000);
afterAll(() => close());

describe('lienthong catalog', () => {
  it('sync --file stores the catalogue, show prints it, and report uses it as if its file were given', async () => {
    const mismatch = async (...extra: string[]) => cli('report', 'deadline-mismatch', '--config', config, '--from', '2026-09-01', '--to', '2026-10-31', '--format', 'json', ...extra);
    const before = await mismatch();
    const withFile = await mismatch('--catalog', SAMPLE);
    expect(withFile.out).not.toBe(before.out);

    const empty = await cli('catalog', 'show', '--config', config);
    expect(empty).toMatchObject({ code: 0, out: expect.stringContaining('No stored catalogue') as string });

    const sync = await cli('catalog', 'sync', '--file', SAMPLE, '--config', config);
    expect(sync.err).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/^Catalogue from file:.*: \d+ added, 0 changed, 0 unchanged, 0 skipped\.$/);
    const again = await cli('catalog', 'sync', '--file', SAMPLE, '--config', config, '--json');
    expect(JSON.parse(again.out)).toMatchObject({ added: 0, changed: 0, skipped: 0 });
    expect(JSON.parse(again.out).unchanged).toBe(JSON.parse(sync.out.replace(/^.*: (\d+) added.*$/, '$1')));

    const one = await cli('catalog', 'show', '2.000908', '--config', config);
    expect(one.code).toBe(0);
    expect(one.out).toContain('2.000908  Chứng thực bản sao từ bản chính (mẫu)');
    expect(one.out).toMatch(/lấy lúc \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    const all = await cli('catalog', 'show', '--config', config, '--json');
    expect((JSON.parse(all.out) as { code: string }[]).map((e) => e.code)).toContain('0.000001');
    expect((await cli('catalog', 'show', '9.999999', '--config', config)).code).toBe(1);

    const after = await mismatch();
    expect(after.out).toBe(withFile.out);
  }, 180_000);

  it('names a bad subcommand and a missing source', async () => {
    expect((await cli('catalog', 'pull', '--config', config)).err).toMatch(/unknown subcommand "pull"/);
    expect((await cli('catalog', 'sync', '--config', config)).err).toMatch(/--file PATH or --target ID/);
  });
});
