/** End to end: a fake SOAP service (msw) → the pipeline (ledger) → the portal simulator (loopback). */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { useFakeSource } from '../../test/support/fake-source.ts';
import { SOAP_OPTIONS, SOAP_PASSWORD, fakeSoap } from './fake-soap.ts';

const fake = fakeSoap();
const e2e = useFakeSource(fake.handler);

describe('soap-xml end to end', () => {
  it('pulls the SOAP service through the ledger to the portal simulator; the next run asks only for changes', async () => {
    const spine = await e2e.startSpine({ count: 1 });
    const { password: _p, ...options } = SOAP_OPTIONS;
    const config = parseConfig({ ...spine.config, sources: [{ id: 'soap-motcua', adapter: 'soap-xml', pageSize: 2, options: { ...options, passwordEnv: 'SOAP_E2E_PASSWORD' } }] });
    const first = await runSync(spine.ledger, config, { env: { ...spine.env, SOAP_E2E_PASSWORD: SOAP_PASSWORD } });
    expect(first.sources).toEqual([{ id: 'soap-motcua', pulled: 3, new: 3, changed: 0, unchanged: 0, quarantined: 0 }]);
    expect(first.targets[0]).toMatchObject({ delivered: 3, dead: 0, pending: 0 });
    expect(spine.sim.dossier('000.00.20.H99-240311-0001')?.record).toMatchObject({ SoGiayToChuHoSo: '0101234567', TrichYeuHoSo: 'Việc sửa chữa nhà ở riêng lẻ', NgayHenTra: '20240325081500' });
    expect(spine.sim.dossier('000.00.20.H99-240311-0003')?.record.TrichYeuHoSo).toBe('Cộng hòa xã hội chủ nghĩa Việt Nam');
    const second = await runSync(spine.ledger, config, { env: { ...spine.env, SOAP_E2E_PASSWORD: SOAP_PASSWORD } });
    expect(second.sources[0]).toMatchObject({ pulled: 0 });
    expect(fake.state.calls.at(-1)).toContain('<tuNgay>2024-03-14T03:41:27.000Z</tuNgay>');
  });
});
