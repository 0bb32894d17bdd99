/**
 * End to end: a fake OpenCPS site (msw) → the pipeline (ledger) → the portal simulator (loopback).
 * The password travels by reference (`passwordEnv`), resolved by the pipeline.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { useFakeSource } from '../../test/support/fake-source.ts';
import { FAKE_BASE, FAKE_PASSWORD, FAKE_USER, fakeDossiers, fakeOpencps } from './fake-opencps.ts';

const fake = fakeOpencps(fakeDossiers(20));
const e2e = useFakeSource(...fake.handlers);

describe('opencps end to end', () => {
  it('pulls a site through the ledger to the portal simulator, then re-reads only the overlap without re-delivering', async () => {
    const spine = await e2e.startSpine({ count: 1 });
    const config = parseConfig({
      ...spine.config,
      sources: [{ id: 'opencps-sxd', adapter: 'opencps', pageSize: 5, options: { baseUrl: FAKE_BASE, groupId: 41201, username: FAKE_USER, passwordEnv: 'OPENCPS_E2E_PASSWORD', startDate: '2024-03-01', until: '2024-03-12', unitCodes: { SXD: '000.00.20.H99', STP: '000.00.21.H99' } } }],
    });
    const first = await runSync(spine.ledger, config, { env: { ...spine.env, OPENCPS_E2E_PASSWORD: FAKE_PASSWORD } });
    expect(first.sources).toEqual([{ id: 'opencps-sxd', pulled: 20, new: 20, changed: 0, unchanged: 0, quarantined: 0 }]);
    expect(first.targets[0]).toMatchObject({ delivered: 20, dead: 0, pending: 0 });
    expect(first.exitCode).toBe(0);
    const held = spine.sim.dossier('SXD.240301.00001');
    expect(held?.record).toMatchObject({ MaHoSo: 'SXD.240301.00001', TrangThaiHoSo: '10', NgayTiepNhan: '20240301090100', DonViXuLy: 'Sở Xây dựng tỉnh Thử Nghiệm' });
    const listCalls = fake.state.calls.list.length;

    const second = await runSync(spine.ledger, config, { env: { ...spine.env, OPENCPS_E2E_PASSWORD: FAKE_PASSWORD } });
    expect(second.sources[0]).toMatchObject({ new: 0, changed: 0, quarantined: 0 });
    expect(second.targets[0]).toMatchObject({ delivered: 0 });
    // The second run starts one day before the first one's end (overlap), not from the start date.
    const again = fake.state.calls.list.slice(listCalls).map((q) => q.get('fromReceiveDate')).filter(Boolean);
    expect(again[0]).toBe('11/03/2024');
  });
});
