/**
 * `dvcqg-file` over the shared conformance suite: an NDJSON export (two good records, an
 * unparsable line, a record with a bad date and status) and a JSON array export (two records).
 */
import { fileURLToPath } from 'node:url';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { dvcqgFileAdapter } from './index.ts';

describeConformance({
  adapter: dvcqgFileAdapter,
  options: { path: fileURLToPath(new URL('./fixtures/export', import.meta.url)) },
  golden: fileURLToPath(new URL('./golden/export.json', import.meta.url)),
  expectRecords: 6,
  http: false,
  malformed: [
    { name: 'not an object', raw: ['MaHoSo'], paths: [''] },
    {
      // Typed values that can be read (numbers, ISO dates) are coerced with a warning; these cannot.
      name: 'wrong types, bad dates, missing fields',
      raw: { MaHoSo: 'X-1', MaTTHC: { ma: 1 }, NgayTiepNhan: '2024-13-05', NgayHenTra: '20240231080000', TrangThaiHoSo: '11', LoaiDoiTuong: '1', HinhThuc: '0', DonViXuLy: 'UBND', TrichYeuHoSo: 'x' },
      paths: ['MaTTHC', 'NgayHenTra', 'NgayTiepNhan', 'TenTTHC', 'TrangThaiHoSo'],
    },
    {
      name: 'progress naming another dossier',
      raw: { MaHoSo: 'X-1', MaTTHC: '1.1', TenTTHC: 't', NgayTiepNhan: '20240305080000', TrangThaiHoSo: '2', LoaiDoiTuong: '1', HinhThuc: '0', DonViXuLy: 'UBND', TrichYeuHoSo: 'x',
        QuaTrinhXuLy: [{ MaHoSo: 'X-2', NguoiXuLy: 'A', ThoiDiemXuLy: '20240305080000', NoiDungXuLy: 'n', TrangThai: '2' }] },
      paths: ['QuaTrinhXuLy[0].MaHoSo'],
    },
  ],
});
