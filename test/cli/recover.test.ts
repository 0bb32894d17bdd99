/**
 * Recovering from the command line alone: dead deliveries after a wrong password are sent again
 * with `deliveries retry`, and quarantined records are mapped again with `quarantine replay` after
 * the source's code table is fixed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import type { PortalSim } from '../../src/portal-sim/index.ts';
import { cli, openCliWorkspace, type CliWorkspace } from '../support/cli.ts';

let dir: string;
let sim: PortalSim;
let close: CliWorkspace['close'];

beforeEach(async () => void ({ dir, sim, close } = await openCliWorkspace('lt-recover-', { portalPassword: 'right-pw' })));
afterEach(() => close());

async function writeConfig(source: Record<string, unknown>): Promise<string> {
  const file = join(dir, 'lienthong.config.json');
  await writeFile(
    file,
    JSON.stringify({
      database: `pglite:${join(dir, 'db')}`,
      sources: [source],
      targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 2, minDelayMs: 10, maxDelayMs: 20 } }],
    }),
  );
  return file;
}

describe('lienthong deliveries', () => {
  it('lists the dossiers a wrong password dead-lettered and sends them again once it is fixed', async () => {
    await mkdir(join(dir, 'exports'));
    const records = [...generateDossiers({ count: 3, seed: 11 })];
    await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n'));
    const config = await writeConfig({ id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } });

    process.env['NATIONAL_PASSWORD'] = 'wrong-pw';
    expect((await cli('sync', '--config', config, '--json')).code).toBe(2);
    const dead = await cli('deliveries', 'list', '--status', 'dead', '--config', config, '--json');
    expect(dead.code).toBe(0);
    const listed = JSON.parse(dead.out).deliveries as { code: string; targetId: string; lastError: string }[];
    expect(listed.map((d) => d.code).sort()).toEqual(records.map((r) => r.MaHoSo).sort());
    expect(listed[0]!.lastError).toMatch(/login refused/);
    expect(JSON.stringify(listed)).not.toContain('wrong-pw');
    const human = await cli('deliveries', 'list', '--status', 'dead', '--config', config);
    expect(human.out).toMatch(/3 deliveries/);
    expect(human.out).toContain(records[0]!.MaHoSo);

    // Nothing changed at the source: a second sync alone would never send them.
    process.env['NATIONAL_PASSWORD'] = 'right-pw';
    const one = await cli('deliveries', 'retry', '--dossier', records[0]!.MaHoSo, '--config', config, '--json');
    expect(JSON.parse(one.out)).toMatchObject({ requeued: 1 });
    const rest = await cli('deliveries', 'retry', '--target', 'national', '--config', config);
    expect(rest.out).toMatch(/^Queued 2 deliveries again/);
    expect((await cli('deliveries', 'retry', '--config', config)).out).toMatch(/nothing queued/);

    const sync = JSON.parse((await cli('sync', '--config', config, '--json')).out);
    expect(sync.targets).toEqual([expect.objectContaining({ id: 'national', delivered: 3, dead: 0 })]);
    for (const r of records) expect(sim.dossier(r.MaHoSo)?.pushes).toBe(1);
  });

  it('refuses a target or status that does not exist, naming it', async () => {
    const config = await writeConfig({ id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: dir } });
    const target = await cli('deliveries', 'retry', '--target', 'nationl', '--config', config);
    expect(target.code).toBe(1);
    expect(target.err).toMatch(/no target "nationl".*national/);
    const status = await cli('deliveries', 'list', '--status', 'lost', '--config', config);
    expect(status.code).toBe(1);
    expect(status.err).toMatch(/--status must be one of pending, delivered, dead/);
  });
});

describe('lienthong quarantine replay', () => {
  it('maps quarantined records again with the fixed code table and stores them', async () => {
    // A local status word the first code table does not have.
    await mkdir(join(dir, 'csv'));
    const head = 'MaHoSo,MaTTHC,TenTTHC,DonViXuLy,ChuHoSo,LoaiDoiTuong,TrichYeuHoSo,NgayTiepNhan,NgayHenTra,TrangThaiHoSo,HinhThuc,KenhThucHien';
    const row = (code: string, status: string) => `${code},1.004227,Đăng ký kết hôn,UBND phường Ngọc Hà,Đỗ Quang Đức,1,Đăng ký kết hôn,20261008090000,20261011170000,${status},0,1`;
    await writeFile(join(dir, 'csv', 'hs.csv'), [head, row('000.00.15.H48-261008-0001', 'Đang xử lý'), row('000.00.15.H48-261008-0002', 'Chờ ký duyệt'), row('000.00.15.H48-261008-0003', 'Chờ ký duyệt')].join('\n') + '\n');
    const options = { path: join(dir, 'csv'), encoding: 'utf-8', tables: { status: { 'Đang xử lý': 4 } } };
    const source = { id: 'xa-phuong', adapter: 'csv-xlsx', options };
    let config = await writeConfig(source);
    process.env['NATIONAL_PASSWORD'] = 'right-pw';
    expect((await cli('sync', '--config', config, '--json')).code).toBe(2);
    const before = JSON.parse((await cli('quarantine', 'list', '--config', config, '--json')).out) as { recordKey: string; issues: { message: string }[] }[];
    const unmapped = before.filter((e) => e.issues.some((i) => i.message.includes('Chờ ký duyệt')));
    expect(unmapped.length).toBeGreaterThan(0);

    // Replaying before the fix changes nothing, and says so (exit 2).
    const early = await cli('quarantine', 'replay', '--source', 'xa-phuong', '--config', config, '--json');
    expect(early.code).toBe(2);
    expect(JSON.parse(early.out).sources[0]).toMatchObject({ sourceId: 'xa-phuong', replayed: before.length, stored: 0, stillQuarantined: before.length });

    config = await writeConfig({ ...source, options: { ...options, tables: { status: { 'Đang xử lý': 4, 'Chờ ký duyệt': 4 } } } });
    const replay = await cli('quarantine', 'replay', '--source', 'xa-phuong', '--record', unmapped[0]!.recordKey, '--config', config, '--json');
    expect(JSON.parse(replay.out).sources[0]).toMatchObject({ replayed: 1, stored: 1, stillQuarantined: 0 });
    const all = await cli('quarantine', 'replay', '--config', config);
    expect(all.out).toContain('xa-phuong');
    expect(all.code).toBe(0);
    expect(JSON.parse((await cli('quarantine', 'list', '--config', config, '--json')).out)).toEqual([]);
    for (const e of unmapped) expect(JSON.parse((await cli('dossier', 'show', e.recordKey, '--config', config, '--json')).out).canonical.status.code).toBe(4);
    // Stored and queued: the next sync delivers them.
    const sync = JSON.parse((await cli('sync', '--config', config, '--json')).out);
    expect(sync.targets[0]).toMatchObject({ delivered: 2, dead: 0 });
  });

  it('needs --source with --record', async () => {
    const config = await writeConfig({ id: 'qt-motcua', adapter: 'dvcqg-file', options: { path: dir } });
    const res = await cli('quarantine', 'replay', '--record', 'X-1', '--config', config);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/--record needs --source/);
  });
});
