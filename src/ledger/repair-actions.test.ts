import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { isoOf } from './rows.ts';
import { dossierSnapshots, insertRepairActions, restoreDossier, selectRepairActions } from './repair-actions.ts';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
});
afterAll(() => ledger?.close());

const RID = 'b1b2c3d4-0000-4000-8000-000000000001';
const CODE = '000.20.48.H48-261005-0001';

describe('repair snapshots', () => {
  it('keeps timestamps as ISO text and the record as JSON, and puts them back exactly after a re-pull changed them', async () => {
    await ledger.rows(sql`insert into dossiers (source_id, code, unit_code, procedure_code, status, received_at, due_at, raw, canonical, content_hash)
      values ('local', ${CODE}, '000.20.48.H48', '1.001193', 2, '2026-10-05T02:03:04.5Z', '2026-10-09T10:00:00Z', '{"a":1}', '{"title":"Cấp phép"}'::jsonb, 'h1')`);
    const before = (await dossierSnapshots(ledger, 'local', [CODE])).get(CODE);
    expect(before).toMatchObject({ raw: '{"a":1}', canonical: { title: 'Cấp phép' }, content_hash: 'h1', unit_code: '000.20.48.H48', status: 2, channel: null, finished_at: null, version: 1 });
    expect(isoOf(before?.['received_at'])).toBe('2026-10-05T02:03:04.500Z');
    if (!before) throw new Error('no snapshot');
    await insertRepairActions(ledger, RID, 'nguyễn.văn.a', [{ action: 'repull', source_id: 'local', code: CODE, dossier_id: null, delivery_id: null, before, after: { content_hash: 'h2', version: 2 } }]);

    await ledger.rows(sql`update dossiers set raw = '{}', canonical = '{"title":"khác"}'::jsonb, content_hash = 'h2', received_at = null, version = 2 where code = ${CODE}`);
    const [action] = await selectRepairActions(ledger, RID);
    expect(action).toMatchObject({ action: 'repull', createdBy: 'nguyễn.văn.a', sourceId: 'local', code: CODE, deliveryId: null, after: { content_hash: 'h2', version: 2 }, undoneAt: null });
    expect(action?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const [row] = await ledger.rows<{ id: number }>(sql`select id from dossiers where code = ${CODE}`);
    const id = Number(row?.id);
    expect(await restoreDossier(ledger, id, 'h-other', action?.before ?? {})).toBe(false);
    expect(await restoreDossier(ledger, id, 'h2', action?.before ?? {})).toBe(true);
    const [now] = await ledger.rows<Record<string, unknown>>(sql`select raw, canonical, content_hash, received_at, due_at, version from dossiers where code = ${CODE}`);
    expect(now?.['raw']).toBe('{"a":1}');
    expect(now?.['canonical']).toEqual({ title: 'Cấp phép' });
    expect(now?.['content_hash']).toBe('h1');
    expect(isoOf(now?.['received_at'])).toBe('2026-10-05T02:03:04.500Z');
    expect(Number(now?.['version'])).toBe(3);
  });
});
