import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { insertReconciliation, selectReconciliationDifferences, selectReconciliations, selectReconciliationsByPrefix, setReconciliationRepaired } from './reconciliations.ts';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
});
afterAll(() => ledger?.close());

const A = 'a1b2c3d4-0000-4000-8000-000000000001';
const B = 'a1b2ffff-0000-4000-8000-000000000002';

describe('reconciliations', () => {
  it('reads back what was stored: instants as ISO, JSON parsed, Vietnamese text intact, differences in unit, code, reason order', async () => {
    await insertReconciliation(ledger, {
      id: A,
      createdAt: '2026-11-02T08:09:10.123+07:00',
      createdBy: 'nguyễn.văn.a',
      scope: { target: 'dvcqg', from: '2026-10-01', to: '2026-10-31' },
      counts: { rows: [{ unitCode: '000.20.48.H48', bucket: 'received', source: 3 }], notes: ['Đơn vị chưa đối chiếu'] },
      stats: { ms: 12 },
      exitCode: 2,
      differences: [
        { code: 'Z-2', unitCode: 'U2', sourceId: 'local', reason: 'not_delivered', detail: { note: 'chờ gửi' } },
        { code: 'Z-1', unitCode: 'U2', sourceId: null, reason: 'quarantined', detail: { issues: [{ path: 'NgayTiepNhan' }] } },
        { code: 'A-9', unitCode: 'U1', sourceId: 'local', reason: 'portal_stale', detail: {} },
      ],
    });
    await insertReconciliation(ledger, { id: B, createdAt: '2026-11-03T00:00:00Z', createdBy: null, scope: { target: 'dvcqg' }, counts: { rows: [] }, stats: {}, exitCode: 0, differences: [] });

    const [r] = await selectReconciliationsByPrefix<{ target: string }, { rows: Array<{ unitCode: string }>; notes: string[] }, { ms: number }>(ledger, 'A1B2C3');
    expect(r).toEqual({
      id: A,
      createdAt: '2026-11-02T01:09:10.123Z',
      createdBy: 'nguyễn.văn.a',
      scope: { target: 'dvcqg', from: '2026-10-01', to: '2026-10-31' },
      counts: { rows: [{ unitCode: '000.20.48.H48', bucket: 'received', source: 3 }], notes: ['Đơn vị chưa đối chiếu'] },
      stats: { ms: 12 },
      exitCode: 2,
    });
    expect(await selectReconciliationsByPrefix(ledger, 'a1b2')).toHaveLength(2);
    expect(await selectReconciliationsByPrefix(ledger, 'ffff')).toEqual([]);

    const diffs = await selectReconciliationDifferences(ledger, A);
    expect(diffs).toEqual([
      { code: 'A-9', unitCode: 'U1', reason: 'portal_stale', detail: {} },
      { code: 'Z-1', unitCode: 'U2', reason: 'quarantined', detail: { issues: [{ path: 'NgayTiepNhan' }] } },
      { code: 'Z-2', unitCode: 'U2', reason: 'not_delivered', detail: { note: 'chờ gửi' } },
    ]);
  });

  it('lists newest first with the repairs recorded, null before any', async () => {
    await setReconciliationRepaired(ledger, A, { repulled: 1 });
    const list = await selectReconciliations(ledger, 10);
    expect(list.map((l) => [l.id, l.createdAt, l.createdBy, l.differenceCount, l.exitCode, l.repaired])).toEqual([
      [B, '2026-11-03T00:00:00.000Z', null, 0, 0, null],
      [A, '2026-11-02T01:09:10.123Z', 'nguyễn.văn.a', 3, 2, { repulled: 1 }],
    ]);
    expect(await selectReconciliations(ledger, 1)).toHaveLength(1);
  });
});
