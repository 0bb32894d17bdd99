/**
 * csv-xlsx end to end: the fixture folder (five files, four encodings, XLSX) → ledger → portal
 * simulator. The invalid row is quarantined; every valid one arrives with NFC text.
 */
import { afterEach, expect, it } from 'vitest';
import { FIXTURE_OPTIONS } from '../../adapters/csv-xlsx/fixtures/options.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

it('delivers the csv-xlsx fixtures to the portal simulator and quarantines the bad row', async () => {
  spine = await startSpine({ count: 1 });
  const config = { ...spine.config, sources: [{ id: 'xa-phuong', adapter: 'csv-xlsx', options: FIXTURE_OPTIONS, units: [], pageSize: 3 }] };
  const summary = await runSync(spine.ledger, config, { env: spine.env });
  expect(summary.sources).toEqual([{ id: 'xa-phuong', pulled: 9, new: 8, changed: 0, unchanged: 0, quarantined: 1 }]);
  expect(summary.targets[0]).toMatchObject({ delivered: 8, pending: 0, dead: 0 });
  expect(spine.sim.dossier('000.00.13.H48-240306-0002')?.record).toMatchObject({ ChuHoSo: 'Hoàng Văn Ểm', TrangThaiHoSo: '2', NgayTiepNhan: '20240306102000' });
  expect(spine.sim.dossier('000.00.16.H48-240309-0001')?.record).toMatchObject({ TenTTHC: 'Cấp đổi giấy phép lái xe', KenhThucHien: '2', NgayHenTra: '20240314170000' });
  expect(spine.sim.dossier('000.00.12.H48-240305-0003')).toBeUndefined();
  const again = await runSync(spine.ledger, config, { env: spine.env });
  expect(again.sources[0]).toMatchObject({ pulled: 0 });
});
