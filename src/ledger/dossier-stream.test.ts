import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { streamDossiers, type DossierFilter } from './dossier-stream.ts';

interface Seed {
  code: string;
  status: number;
  received: string | null;
  due?: string | null;
  finished?: string | null;
  deleted?: boolean;
}

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
  const seeds: Seed[] = [
    { code: 'A-open-old', status: 2, received: '2026-08-01T02:00:00Z', due: '2026-08-10T10:00:00Z' },
    { code: 'B-finished-long-ago', status: 10, received: '2026-06-01T02:00:00Z', due: '2026-06-05T10:00:00Z', finished: '2026-07-01T02:00:00Z' },
    { code: 'C-finished-recently', status: 10, received: '2026-09-01T02:00:00Z', due: null, finished: '2026-10-15T02:00:00Z' },
    { code: 'D-received-after', status: 2, received: '2026-11-01T00:00:00Z', due: '2026-11-05T10:00:00Z' },
    { code: 'E-deleted', status: 2, received: '2026-10-02T02:00:00Z', due: '2026-10-05T10:00:00Z', deleted: true },
    { code: 'F-no-receipt', status: 1, received: null },
    { code: 'G-in-october', status: 2, received: '2026-10-01T00:00:00Z', due: '2026-10-09T10:00:00Z' },
  ];
  for (const s of seeds) {
    const canonical = JSON.stringify({ code: s.code, title: 'Hồ sơ đăng ký khai sinh' });
    await ledger.rows(sql`insert into dossiers (source_id, code, procedure_code, status, received_at, due_at, finished_at, deleted_at, raw, canonical, content_hash)
      values ('local', ${s.code}, '1.001193', ${s.status}, ${s.received}::timestamptz, ${s.due ?? null}::timestamptz, ${s.finished ?? null}::timestamptz,
              ${s.deleted ? '2026-10-20T00:00:00Z' : null}::timestamptz, '{}', ${canonical}::jsonb, ${`h-${s.code}`})`);
  }
  await ledger.rows(sql`insert into deliveries (dossier_id, target_id, version, portal_has) select id, 'dvcqg', 1, true from dossiers where code = 'G-in-october'`);
});
afterAll(() => ledger?.close());

async function codes(filter?: DossierFilter, pageSize?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const s of streamDossiers(ledger, { ...(filter ? { filter } : {}), ...(pageSize ? { pageSize } : {}) })) out.push(s.dossier.code);
  return out;
}

describe('streamDossiers', () => {
  it('yields every live dossier in id order, the record parsed (Vietnamese text as stored), never a deleted one', async () => {
    const all: Array<{ code: string; title: unknown; synced: boolean }> = [];
    for await (const s of streamDossiers(ledger, { withSynced: true })) all.push({ code: s.dossier.code, title: (s.dossier as unknown as { title: unknown }).title, synced: s.synced });
    expect(all.map((a) => a.code)).toEqual(['A-open-old', 'B-finished-long-ago', 'C-finished-recently', 'D-received-after', 'F-no-receipt', 'G-in-october']);
    expect(all.every((a) => a.title === 'Hồ sơ đăng ký khai sinh'.normalize('NFC'))).toBe(true);
    expect(all.filter((a) => a.synced).map((a) => a.code)).toEqual(['G-in-october']);
  });

  it('reports synced as false unless asked', async () => {
    for await (const s of streamDossiers(ledger)) expect(s.synced).toBe(false);
  });

  it('keeps a received instant exactly at the bound out of receivedBefore and in receivedFrom', async () => {
    expect(await codes({ receivedBefore: '2026-11-01T00:00:00.000Z' })).toEqual(['A-open-old', 'B-finished-long-ago', 'C-finished-recently', 'G-in-october']);
    expect(await codes({ receivedFrom: '2026-10-01T00:00:00.000Z' })).toEqual(['D-received-after', 'G-in-october']);
  });

  it('openOrFinishedSince keeps open dossiers and those finished at or after the instant', async () => {
    expect(await codes({ openOrFinishedSince: '2026-10-15T02:00:00.000Z' })).toEqual(['A-open-old', 'C-finished-recently', 'D-received-after', 'F-no-receipt', 'G-in-october']);
    expect(await codes({ openOrFinishedSince: '2026-10-15T02:00:00.001Z' })).toEqual(['A-open-old', 'D-received-after', 'F-no-receipt', 'G-in-october']);
  });

  it('withReceiptAndDue leaves out dossiers missing either date; conditions combine', async () => {
    expect(await codes({ withReceiptAndDue: true })).toEqual(['A-open-old', 'B-finished-long-ago', 'D-received-after', 'G-in-october']);
    expect(await codes({ withReceiptAndDue: true, receivedFrom: '2026-08-01T00:00:00.000Z', receivedBefore: '2026-11-01T00:00:00.000Z' })).toEqual(['A-open-old', 'G-in-october']);
  });
});
