/**
 * The outbox core through the public sync: a newer version stored while the older one is on its
 * way to the portal is not marked delivered by the older one's answer (no lost update) and is sent
 * in its turn; leases are released after delivery.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { startSpine, type Spine } from '../../test/support/spine.ts';
import { parsePortalRecord } from '../dossier/index.ts';
import { storePage } from '../ledger/store-page.ts';
import { runSync } from '../pipeline/sync.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

interface Row {
  status: string;
  version: number;
  delivered_version: number | null;
  lease_owner: string | null;
}
const deliveryRow = async (s: Spine) => (await s.ledger.rows<Row>(sql`select status, version, delivered_version, lease_owner from deliveries`))[0]!;

describe('outbox: a version stored while a delivery is in flight', () => {
  it('is not marked delivered by the older version\'s acknowledgement: it is sent too, and no lease is left', async () => {
    spine = await startSpine({ count: 1 });
    const s = spine;
    await runSync(s.ledger, s.config, { env: s.env, push: false });
    expect(await deliveryRow(s)).toMatchObject({ status: 'pending', version: 1, delivered_version: null });

    // The portal answers slowly: the push of version 1 is in flight for 1.5 s after its claim.
    s.sim.setFaults({ latencyMs: 1500 });
    const pushing = runSync(s.ledger, s.config, { env: s.env, pull: false });
    const until = Date.now() + 30_000;
    while ((await deliveryRow(s)).lease_owner === null) {
      if (Date.now() > until) throw new Error('the delivery was never claimed');
      await new Promise((r) => setTimeout(r, 10));
    }
    // Meanwhile the source's newer version is stored (a changed status).
    const changed = { ...s.records[0]!, TrangThaiHoSo: '9', NgayKetThucXuLy: '20261020100000' };
    const parsed = parsePortalRecord(changed);
    if (!parsed.ok) throw new Error('the changed record does not parse');
    const stored = await storePage(s.ledger, { sourceId: 'local', runId: null, valid: [{ dossier: parsed.value, raw: changed, hash: 'version-2' }], invalid: [], targetIds: ['national'] });
    expect(stored.changed).toBe(1);
    await pushing;

    // Version 1's acknowledgement did not mark version 2 delivered: the same drain claimed it again
    // and sent it (a lost update would leave the portal at version 1 with one push).
    expect(await deliveryRow(s)).toMatchObject({ status: 'delivered', version: 2, delivered_version: 2, lease_owner: null });
    const held = s.sim.dossier(changed.MaHoSo);
    expect(held?.pushes).toBe(2);
    expect(held?.record.TrangThaiHoSo).toBe('9');
  });
});
