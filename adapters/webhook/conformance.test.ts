/**
 * The conformance kit's checks that apply to a push source (nothing is pulled, so paging, resume
 * and HTTP faults do not apply; the intake's own tests cover signatures and limits): mapping as the
 * pipeline maps, golden canonical output, every issue of a malformed record with its path.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { goldenOf, issuePaths, mapAll, parseOptions, readGolden, writeGolden, type Subject } from '../../src/sdk/conformance/index.ts';
import { webhookAdapter } from './index.ts';
import { splitPushedBody } from './raw.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const GOLDEN = fileURLToPath(new URL('./golden/conformance.json', import.meta.url));

describe('conformance: webhook', () => {
  const portal: Subject = { adapter: webhookAdapter, options: parseOptions(webhookAdapter, {}) };
  const mapped: Subject = { adapter: webhookAdapter, options: parseOptions(webhookAdapter, { mapping: fixture('mapping.json'), recordsPath: 'hoSo.danhSach' }) };

  it('maps pushed fixtures (portal format and declared mapping) to the reviewed golden canonical output', () => {
    const out = [
      ...goldenOf(mapAll(portal, splitPushedBody(fixture('push-portal.json'), portal.options as never, 'push-portal.json'))),
      ...goldenOf(mapAll(mapped, splitPushedBody(fixture('push-mapped.json'), mapped.options as never, 'push-mapped.json'))),
    ];
    const golden = readGolden(GOLDEN);
    if (!golden || process.env['UPDATE_GOLDEN'] === '1') {
      writeGolden(GOLDEN, out, false);
      throw new Error(`golden output written to ${GOLDEN}: review every record, then set "reviewed": true`);
    }
    expect(golden.reviewed).toBe(true);
    expect(out).toStrictEqual(golden.records);
  });

  it('reports every issue of a malformed record with its path', () => {
    expect(issuePaths(portal, { MaHoSo: 'X-1', NgayTiepNhan: '2024', TrangThaiHoSo: '11', HinhThuc: '2' })).toStrictEqual(['DonViXuLy', 'HinhThuc', 'LoaiDoiTuong', 'MaTTHC', 'NgayTiepNhan', 'TenTTHC', 'TrangThaiHoSo', 'TrichYeuHoSo']);
    expect(issuePaths(mapped, { soHoSo: 'X-2', ngayNhan: 'hôm nay', trangThai: 'KHONG_RO' })).toStrictEqual(['donVi.ten', 'maThuTuc', 'ngayNhan', 'nguoiNop.loai', 'tenThuTuc', 'trangThai', 'trichYeu']);
  });
});
