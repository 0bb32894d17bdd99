import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { SOAP_OPTIONS, SOAP_PASSWORD, fakeSoap } from './fake-soap.ts';
import { soapXmlAdapter } from './index.ts';

const fake = fakeSoap();
const server = setupServer(fake.handler);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const record = { SoHoSo: 'X-1', MaThuTuc: '1.0', TenThuTuc: 'T', CoQuan: { Ma: 'SXD', Ten: 'Sở' }, NguoiNop: { LoaiDoiTuong: '1' }, TrichYeu: 'x', NgàyTiếpNhận: '11/03/2024 08:16:05', TrangThai: 'DANG_XU_LY', QuaTrinhXuLy: { Buoc: [] } };

describeConformance({
  adapter: soapXmlAdapter,
  options: SOAP_OPTIONS,
  golden: fileURLToPath(new URL('./golden/conformance.json', import.meta.url)),
  expectRecords: 3,
  malformed: [
    { name: 'a Vietnamese-named date that is no date, .NET date garbage, unknown status', raw: { ...record, NgàyTiếpNhận: '30/02/2024', NgayHenTra: '0001-01-01T25:00:00', TrangThai: 'HUY' }, paths: ['NgayHenTra', 'NgàyTiếpNhận', 'TrangThai'] },
    { name: 'required elements missing', raw: { SoHoSo: 'X-2' }, paths: ['CoQuan.Ten', 'MaThuTuc', 'NgàyTiếpNhận', 'NguoiNop.LoaiDoiTuong', 'TenThuTuc', 'TrangThai', 'TrichYeu'] },
  ],
  secrets: [SOAP_PASSWORD],
  http: () => ({
    badCredentialOptions: { ...SOAP_OPTIONS, password: 'wrong' },
    fault: (status, headers, body) => void fake.state.faults.push({ status, headers, body }),
    calls: () => fake.state.calls.length,
  }),
});
