/**
 * `lienthong reconcile repairs ID` and `reconcile undo ID`: what a repair changed is listed and can
 * be reverted from the command line.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run as reconcileCommand } from '../../src/cli/commands/reconcile.ts';
import { run as syncCommand } from '../../src/cli/commands/sync.ts';
import { createPostgresDatabase } from '../support/ledger.ts';
import { SIM_PASSWORD, startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
let dropDb: (() => Promise<void>) | undefined;
const baseUrl = process.env['DATABASE_URL'];
afterEach(async () => {
  if (baseUrl) process.env['DATABASE_URL'] = baseUrl;
  vi.restoreAllMocks();
  delete process.env['NATIONAL_PASSWORD'];
  await spine?.close();
  await dropDb?.();
  spine = undefined;
  dropDb = undefined;
});

describe('lienthong reconcile undo', () => {
  it('lists the actions of a repair and reverts them: a dossier marked deleted is live again', async () => {
    spine = await startSpine({ count: 6 });
    const pg = await createPostgresDatabase();
    dropDb = pg?.drop;
    if (pg) process.env['DATABASE_URL'] = pg.url;
    const file = join(spine.dir, 'lienthong.config.json');
    await writeFile(file, JSON.stringify({ ...spine.config, database: pg?.url ?? `pglite:${join(spine.dir, 'db')}` }));
    process.env['NATIONAL_PASSWORD'] = SIM_PASSWORD;
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const last = () => out.at(-1) ?? '';
    const period = ['--from', '2026-10-01', '--to', '2026-10-31'];
    expect(await syncCommand(['--config', file, '--quiet'])).toBe(0);

    const gone = spine.records[1]!.MaHoSo;
    await spine.writeExport('0001.ndjson', spine.records.filter((r) => r.MaHoSo !== gone));
    expect(await reconcileCommand(['--config', file, ...period, '--format', 'json', '--repair'])).toBe(2);
    const report = JSON.parse(last()) as { id: string; differences: { code: string; reason: string }[] };
    expect(report.differences).toEqual([expect.objectContaining({ code: gone, reason: 'deleted_at_source' })]);

    expect(await reconcileCommand(['--config', file, 'repairs', report.id.slice(0, 8), '--json'])).toBe(0);
    const actions = JSON.parse(last()) as { action: string; code: string; undoneAt: string | null }[];
    expect(actions.map((a) => [a.action, a.code, a.undoneAt])).toEqual([['mark_deleted', gone, null]]);
    // For people: Vietnam time (dd/MM/yyyy HH:mm), never an ISO instant; --json keeps ISO.
    const vnText = (instant: string) => {
      const l = new Date(Date.parse(instant) + 7 * 3600_000).toISOString();
      return `${l.slice(8, 10)}/${l.slice(5, 7)}/${l.slice(0, 4)} ${l.slice(11, 16)}`;
    };
    const createdAt = (JSON.parse(last()) as { createdAt: string }[])[0]!.createdAt;
    expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(await reconcileCommand(['--config', file, 'repairs', report.id.slice(0, 8)])).toBe(0);
    expect(last()).toContain(vnText(createdAt));
    expect(last()).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    expect(await reconcileCommand(['--config', file, 'undo', report.id.slice(0, 8)])).toBe(0);
    expect(out.join('\n')).toContain('1 action(s) reverted, 0 left as they are');
    expect(await reconcileCommand(['--config', file, 'repairs', report.id, '--json'])).toBe(0);
    const undoneAt = (JSON.parse(last()) as { undoneAt: string | null }[])[0]?.undoneAt;
    expect(undoneAt).not.toBeNull();
    expect(await reconcileCommand(['--config', file, 'repairs', report.id])).toBe(0);
    expect(last()).toContain(vnText(undoneAt as string));
    expect(last()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // Live again: the next reconciliation finds it held by the ledger only, as before the repair.
    expect(await reconcileCommand(['--config', file, ...period, '--format', 'json'])).toBe(2);
    expect((JSON.parse(last()) as { differences: { code: string; reason: string }[] }).differences).toEqual([expect.objectContaining({ code: gone, reason: 'deleted_at_source' })]);
    // The text summary names its period dd/MM/yyyy.
    out.length = 0;
    expect(await reconcileCommand(['--config', file, ...period])).toBe(2);
    const headline = String(out[0]).split('\n')[0];
    expect(headline).toMatch(/^Reconciliation \S+ {2}\S+ {2}01\/10\/2026 → 31\/10\/2026 {2}\(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}, Vietnam time\)/);
    expect(headline).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    expect(await reconcileCommand(['--help'])).toBe(0);
    expect(last()).toContain('undo ID');
  });
});
