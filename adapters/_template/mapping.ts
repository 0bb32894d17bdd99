/**
 * The mapping of `_template`: portal field ← raw path, date formats and code tables (the SDK's
 * declared mapping, docs/adapters.md). `lienthong adapter new` writes this file guessed from a
 * sample; review every line, then `lienthong adapter check <id>` and review golden/.
 */
import type { MappingSpecInput } from '../../src/sdk/index.ts';

export const mapping: MappingSpecInput = {
  tables: { status: { PROCESSING: 4, DONE: 10 } },
  fields: {
    MaHoSo: 'dossierNo',
    MaTTHC: { from: 'procedure.code', table: 'procedure' },
    TenTTHC: 'procedure.name',
    DonViXuLy: 'agencyName',
    ChuHoSo: 'applicantName',
    TrichYeuHoSo: 'subject',
    NgayTiepNhan: 'receiveDate',
    NgayHenTra: 'dueDate',
    TrangThaiHoSo: { from: 'status', table: 'status' },
    LoaiDoiTuong: { const: '1' },
    HinhThuc: { const: '0' },
  },
  dateFormat: ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm'],
};
