/**
 * One way to build a source: sync, reconcile and its repair read a CSV source with its declared
 * mapping and code table, so a local status word the config maps is never quarantined by a repair
 * and a dossier is never listed twice by the next reconcile.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PortalSim } from '../../src/portal-sim/index.ts';
import { cli, openCliWorkspace, type CliWorkspace } from '../support/cli.ts';

let dir: string;
let sim: PortalSim;
let close: CliWorkspace['close'];

beforeEach(async () => void ({ dir, sim, close } = await openCliWorkspace('lt-build-', { portalPassword: 'right-pw', env: { NATIONAL_PASSWORD: 'right-pw' } })));
afterEach(() => close());

// A local export: its own column name for the code, local status words.
const head = 'SoHoSo,MaTTHC,TenTTHC,DonViXuLy,ChuHoSo,LoaiDoiTuong,TrichYeuHoSo,NgayTiepNhan,NgayHenTra,TrangThai,HinhThuc,KenhThucHien';
const row = (code: string, status: string) => `${code},1.004227,Đăng ký kết hôn,UBND phường Ngọc Hà,Đỗ Quang Đức,1,Đăng ký kết hôn,20261008090000,20261011170000,${status},0,1`;
const codes = ['000.00.15.H48-261008-0001', '000.00.15.H48-261008-0002', '000.00.15.H48-261008-0003'];

async function writeConfig(): Promise<string> {
  const file = join(dir, 'lienthong.config.json');
  const options = {
    path: join(dir, 'csv'),
    encoding: 'utf-8',
    mapping: { fields: { MaHoSo: 'SoHoSo', TrangThaiHoSo: { from: 'TrangThai', table: 'status' } }, tables: { status: { 'Chờ bổ sung': 5, 'Đang xử lý': 4 } } },
  };
  await writeFile(
    file,
    JSON.stringify({
      database: `pglite:${join(dir, 'db')}`,
      sources: [{ id: 'xa-phuong', adapter: 'csv-xlsx', options }],
      targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', retry: { maxAttempts: 2, minDelayMs: 10, maxDelayMs: 20 } }],
    }),
  );
  return file;
}

interface Report {
  differences: { code: string; reason: string }[];
}
const period = ['--target', 'national', '--from', '2026-10-01', '--to', '2026-10-31'];

describe('a source is built the same way by sync, reconcile and repair', () => {
  it('repairs a CSV source with its mapping: nothing quarantined, nothing listed twice', async () => {
    await mkdir(join(dir, 'csv'));
    await writeFile(join(dir, 'csv', 'a.csv'), [head, row(codes[0]!, 'Chờ bổ sung'), row(codes[1]!, 'Đang xử lý')].join('\n') + '\n');
    const config = await writeConfig();
    const sync = await cli('sync', '--config', config, '--json');
    expect(JSON.parse(sync.out).sources[0]).toMatchObject({ new: 2, quarantined: 0 });

    // The source as reconcile reads it agrees with the ledger: the same mapping hashes the same.
    const agreed = await cli('reconcile', ...period, '--config', config, '--format', 'json');
    expect((JSON.parse(agreed.out) as Report).differences).toEqual([]);

    // A third dossier the ledger misses, in the local status word: repair re-pulls it with the mapping.
    await writeFile(join(dir, 'csv', 'b.csv'), [head, row(codes[2]!, 'Chờ bổ sung')].join('\n') + '\n');
    const repaired = await cli('reconcile', ...period, '--config', config, '--format', 'json', '--repair');
    expect((JSON.parse(repaired.out) as Report).differences).toEqual([expect.objectContaining({ code: codes[2], reason: 'missing_in_ledger' })]);
    expect(repaired.err).toMatch(/"repulled":1,"stillQuarantined":0/);
    expect(JSON.parse((await cli('quarantine', 'list', '--config', config, '--json')).out)).toEqual([]);
    const shown = JSON.parse((await cli('dossier', 'show', codes[2]!, '--config', config, '--json')).out);
    expect(shown.canonical.status.code).toBe(5);

    // Next reconcile: the re-pulled dossier waits for delivery, listed once; none of the others is listed.
    const after = (JSON.parse((await cli('reconcile', ...period, '--config', config, '--format', 'json')).out) as Report).differences;
    expect(after).toEqual([expect.objectContaining({ code: codes[2], reason: 'not_delivered' })]);
    expect(JSON.parse((await cli('sync', '--config', config, '--json')).out).targets[0]).toMatchObject({ delivered: 1, dead: 0 });
    expect((await cli('reconcile', ...period, '--config', config)).code).toBe(0);
  });
});
