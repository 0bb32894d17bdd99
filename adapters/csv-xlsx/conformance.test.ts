/**
 * `csv-xlsx` over the shared conformance suite: a folder with a UTF-8 CSV with BOM and Vietnamese
 * headers, a TCVN3 CSV with `;`, a VNI TSV, a windows-1258 CSV with the portal's field names and
 * an XLSX with date cells and a TCVN3-mojibake cell — all read with `encoding: "auto"`.
 */
import { fileURLToPath } from 'node:url';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { FIXTURE_OPTIONS } from './fixtures/options.ts';
import { csvXlsxAdapter } from './index.ts';


describeConformance({
  adapter: csvXlsxAdapter,
  options: FIXTURE_OPTIONS,
  golden: fileURLToPath(new URL('./golden/export.json', import.meta.url)),
  expectRecords: 9,
  http: false,
  malformed: [
    { name: 'not a row', raw: 'x', paths: [''] },
    {
      name: 'bad dates, unknown status, missing procedure',
      raw: { 'Mã hồ sơ': 'X-1', 'Tên thủ tục': '', 'Đơn vị xử lý': 'UBND', 'Trích yếu': 'x', 'Ngày tiếp nhận': '2024-13-01 08:00', 'Ngày hẹn trả': 'mai', 'Trạng thái': 'Lạ' },
      paths: ['MaTTHC', 'Ngày hẹn trả', 'Ngày tiếp nhận', 'Tên thủ tục', 'Trạng thái'],
    },
  ],
});
