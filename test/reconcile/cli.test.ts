import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
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

describe('lienthong reconcile', () => {
  it('exits 2 with a Vietnamese report when the portal lost a dossier, stores it, and exits 0 after --repair and sync', async () => {
    spine = await startSpine({ count: 8 });
    const pg = await createPostgresDatabase();
    dropDb = pg?.drop;
    // The CLI opens DATABASE_URL when it is set: point it at this test's own database.
    if (pg) process.env['DATABASE_URL'] = pg.url;
    const config = {
      ...spine.config,
      database: pg?.url ?? `pglite:${join(spine.dir, 'db')}`,
      targets: [{ ...spine.config.targets[0], reporting: { baseUrl: spine.sim.url, rootDepartmentId: 'root' } }],
    };
    const file = join(spine.dir, 'lienthong.config.json');
    await writeFile(file, JSON.stringify(config));
    process.env['NATIONAL_PASSWORD'] = SIM_PASSWORD;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const period = ['--from', '2026-10-01', '--to', '2026-10-31'];
    expect(await syncCommand(['--config', file, '--quiet'])).toBe(0);

    const lost = spine.records[2]!.MaHoSo;
    spine.sim.forget(lost);
    const html = join(spine.dir, 'r.html');
    expect(await reconcileCommand(['--config', file, '--target', 'national', ...period, '--format', 'html', '--out', html])).toBe(2);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('Cổng đã xác nhận nhưng không còn hồ sơ');
    expect(page).toContain(lost);
    expect(page).toContain('class="differs"');

    expect(await reconcileCommand(['--config', file, ...period, '--format', 'csv', '--repair'])).toBe(2);
    const csv = String(log.mock.calls.at(-1)?.[0]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain(`${lost},`);
    expect(await syncCommand(['--config', file, '--quiet'])).toBe(0);
    const xlsx = join(spine.dir, 'r.xlsx');
    expect(await reconcileCommand(['--config', file, ...period, '--format', 'xlsx', '--out', xlsx])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Số liệu', 'Hồ sơ chênh lệch']);

    log.mockClear();
    expect(await reconcileCommand(['--config', file, 'history', '--json'])).toBe(0);
    const history = JSON.parse(String(log.mock.calls[0]?.[0])) as Array<{ id: string; differenceCount: number; repaired: unknown; createdAt: string; scope: { from: string } }>;
    expect(history.map((h) => h.differenceCount)).toEqual([0, 1, 1]);
    expect(history[1]?.repaired).toMatchObject({ resent: 1 });
    log.mockClear();
    // For people: Vietnam time and dd/MM/yyyy, never an ISO instant.
    expect(await reconcileCommand(['--config', file, 'history'])).toBe(0);
    const text = String(log.mock.calls[0]?.[0]);
    const first = history[0]!;
    const local = new Date(Date.parse(first.createdAt) + 7 * 3600_000).toISOString();
    expect(text).toContain(`${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`);
    expect(text).toContain(`${first.scope.from.slice(8, 10)}/${first.scope.from.slice(5, 7)}/${first.scope.from.slice(0, 4)} → `);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    log.mockClear();
    expect(await reconcileCommand(['--config', file, 'diff', history[2]!.id, history[0]!.id, '--json'])).toBe(0);
    expect(JSON.parse(String(log.mock.calls[0]?.[0])).resolved).toEqual([expect.objectContaining({ code: lost, reason: 'missing_on_portal' })]);
    await expect(reconcileCommand(['--config', file, ...period, '--format', 'pdf'])).rejects.toThrow(/--format must be/);
  });
});
