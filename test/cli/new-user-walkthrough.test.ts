/**
 * Tried as a new user would, with only the commands the README documents: a CSV export with the
 * local system's own status words (mapped in `tables.status`), the national portal (the simulator)
 * with a WRONG password in the environment, the password fixed mid-way, then a portal outage.
 * Every dossier must reach the portal through `deliveries retry` and `sync`, and `reconcile`
 * must find nothing to differ. Runs on PGlite, or on PostgreSQL with DATABASE_URL.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { cli } from '../support/cli.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

let dir: string;
let portal: PortalSim;
let pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
const savedUrl = process.env['DATABASE_URL'];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-walkthrough-'));
  portal = await startPortalSim({ port: 0, username: 'lienthong', password: 'mk-dung' });
  pg = await createPostgresDatabase();
  if (pg) process.env['DATABASE_URL'] = pg.url;
});
afterEach(async () => {
  if (savedUrl === undefined) delete process.env['DATABASE_URL'];
  else process.env['DATABASE_URL'] = savedUrl;
  delete process.env['NATIONAL_PASSWORD'];
  await portal.close();
  await pg?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** The local one-stop system's export: Vietnamese headers, its own status words, dd/MM/yyyy HH:mm. */
const HEAD = 'Mã hồ sơ,Mã thủ tục,Tên thủ tục,Đơn vị xử lý,Người nộp,Trích yếu,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái';
const row = (n: number, status: string) =>
  `000.00.15.H48-261008-00${String(n).padStart(2, '0')},1.004227,Đăng ký kết hôn,UBND phường Ngọc Hà,Đỗ Quang Đức ${n},Đăng ký kết hôn lần ${n},08/10/2026 09:${String(n).padStart(2, '0')},13/10/2026 17:00,${status}`;
const FIRST = [row(1, 'Mới tiếp nhận'), row(2, 'Đang giải quyết'), row(3, 'Chờ bổ sung')];
const SECOND = [row(4, 'Đang giải quyết'), row(5, 'Đã trả kết quả'), row(6, 'Mới tiếp nhận')];
const codes = (rows: string[]) => rows.map((r) => r.slice(0, r.indexOf(',')));

interface TargetSummary { id: string; delivered: number; pending: number; dead: number; failure?: { cause: string; next: string; dead: number; pending: number } }
const target = (out: string): TargetSummary => (JSON.parse(out) as { targets: TargetSummary[] }).targets[0] as TargetSummary;

describe('a new user with a CSV export, a wrong password and a portal outage', () => {
  it('brings every dossier to the portal with documented commands only, and reconcile agrees', async () => {
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'exports', 'ho-so-1.csv'), [HEAD, ...FIRST].join('\n') + '\n');
    const config = join(dir, 'lienthong.config.json');
    await writeFile(
      config,
      JSON.stringify({
        database: 'pglite:./db',
        sources: [
          {
            id: 'xa-phuong',
            adapter: 'csv-xlsx',
            options: {
              path: './exports',
              encoding: 'utf-8',
              mapping: { fields: { LoaiDoiTuong: { from: 'LoaiDoiTuong', default: '1' }, HinhThuc: { from: 'HinhThuc', default: '0' }, KenhThucHien: { from: 'KenhThucHien', default: '1' } } },
              tables: { status: { 'Mới tiếp nhận': 2, 'Đang giải quyết': 4, 'Chờ bổ sung': 5, 'Đã trả kết quả': 10 } },
            },
          },
        ],
        // A run stops delivering after 10 s and reports what waits (the outage must not hold it 15 min).
        sync: { deadlineMs: 10_000 },
        targets: [{ id: 'national', name: 'Cổng DVC quốc gia', style: 'session', baseUrl: portal.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 20 } }],
      }),
    );

    // 1. The password in the environment is wrong: nothing reaches the portal, and the summary says why.
    process.env['NATIONAL_PASSWORD'] = 'mk-sai';
    const refused = await cli('sync', '--config', config, '--json');
    expect(refused.code).toBe(2);
    const summary = JSON.parse(refused.out) as { sources: Array<{ new: number; quarantined: number }> };
    expect(summary.sources[0]).toMatchObject({ new: 3, quarantined: 0 });
    const t1 = target(refused.out);
    expect(t1).toMatchObject({ delivered: 0 });
    expect(t1.failure?.cause).toMatch(/login refused/);
    expect(t1.failure?.next).toContain('lienthong deliveries retry --target national');
    expect(refused.out).not.toContain('mk-sai');
    for (const code of codes(FIRST)) expect(portal.dossier(code)).toBeUndefined();
    const text = await cli('sync', '--config', config);
    expect(text.out).toMatch(/target national: .*login refused/);

    // 2. The password fixed mid-way; the dead deliveries sent again, as the summary said.
    process.env['NATIONAL_PASSWORD'] = 'mk-dung';
    const listed = await cli('deliveries', 'list', '--config', config, '--target', 'national', '--status', 'dead', '--json');
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain('mk-sai');
    const retried = await cli('deliveries', 'retry', '--config', config, '--target', 'national');
    expect(retried.code).toBe(0);

    // 3. The next export arrives while the portal is down (every call answers 503).
    await writeFile(join(dir, 'exports', 'ho-so-2.csv'), [HEAD, ...SECOND].join('\n') + '\n');
    portal.setFaults({ p503: 1 });
    const down = await cli('sync', '--config', config, '--json');
    expect(down.code).toBe(2);
    const t3 = target(down.out);
    expect(t3.delivered).toBe(0);
    expect(t3.pending + t3.dead).toBe(6);
    for (const code of codes([...FIRST, ...SECOND])) expect(portal.dossier(code)).toBeUndefined();

    // 4. The portal is back: retry what waits or gave up, and one sync brings every dossier there.
    portal.setFaults({});
    expect((await cli('deliveries', 'retry', '--config', config, '--target', 'national', '--status', 'dead')).code).toBe(0);
    expect((await cli('deliveries', 'retry', '--config', config, '--target', 'national', '--status', 'pending')).code).toBe(0);
    const back = await cli('sync', '--config', config, '--json');
    expect(back.code, back.out).toBe(0);
    expect(target(back.out)).toMatchObject({ pending: 0, dead: 0 });
    const words: Record<string, number> = { 'Mới tiếp nhận': 2, 'Đang giải quyết': 4, 'Chờ bổ sung': 5, 'Đã trả kết quả': 10 };
    for (const r of [...FIRST, ...SECOND]) {
      const [code] = codes([r]);
      const held = portal.dossier(code as string);
      expect(held, code).toBeDefined();
      expect(Number(held?.record.TrangThaiHoSo)).toBe(words[r.slice(r.lastIndexOf(',') + 1)]);
      expect(held?.record.TenTTHC).toBe('Đăng ký kết hôn');
    }
    expect(JSON.parse((await cli('deliveries', 'list', '--config', config, '--target', 'national', '--status', 'dead', '--json')).out)).toMatchObject({ deliveries: [] });

    // 5. The portal and the ledger agree.
    const rec = await cli('reconcile', '--config', config, '--target', 'national', '--from', '2026-10-01', '--to', '2026-10-31', '--deep', '--json');
    expect(JSON.parse(rec.out).differences).toEqual([]);
    expect(rec.code).toBe(0);
  }, 600_000);
});
