import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { deleteSignature, insertSignature, openQuarantine, resolveQuarantine } from './intake.ts';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
  const add = (key: string, raw: string | null) =>
    ledger.rows(sql`insert into quarantine (source_id, record_key, location, raw, raw_hash, issues)
      values ('motcua', ${key}, ${key === 'K2' ? null : `f.ndjson#${key}`}, ${raw}::jsonb, ${`h-${key}`}, '[]'::jsonb)`);
  await add('K1', JSON.stringify({ MaHoSo: 'K1', HoTen: 'Nguyễn Thị Ánh' }));
  await add('K2', null);
  await add('K3', JSON.stringify({ MaHoSo: 'K3' }));
});
afterAll(() => ledger?.close());

describe('quarantine rows for a replay', () => {
  it('reads the open entries oldest first with their raw record parsed (null when never parsable)', async () => {
    expect(await openQuarantine(ledger, 'motcua')).toEqual([
      { recordKey: 'K1', location: 'f.ndjson#K1', raw: { MaHoSo: 'K1', HoTen: 'Nguyễn Thị Ánh' } },
      { recordKey: 'K2', location: null, raw: null },
      { recordKey: 'K3', location: 'f.ndjson#K3', raw: { MaHoSo: 'K3' } },
    ]);
    expect((await openQuarantine(ledger, 'motcua', ['K3', 'K9'])).map((r) => r.recordKey)).toEqual(['K3']);
    expect(await openQuarantine(ledger, 'other')).toEqual([]);
  });

  it('resolves only the keys given, of that source', async () => {
    await resolveQuarantine(ledger, 'other', ['K1']);
    await resolveQuarantine(ledger, 'motcua', ['K1']);
    expect((await openQuarantine(ledger, 'motcua')).map((r) => r.recordKey)).toEqual(['K2', 'K3']);
  });
});

describe('intake signatures', () => {
  it('keeps a signature once inside its window, again once the window ended or it was forgotten', async () => {
    const now = new Date('2026-11-20T03:00:00.000Z');
    const expiresAt = new Date('2026-11-20T03:05:00.000Z');
    expect(await insertSignature(ledger, { sourceId: 'hook', signature: 'ab12', now, expiresAt })).toBe(true);
    expect(await insertSignature(ledger, { sourceId: 'hook', signature: 'ab12', now, expiresAt })).toBe(false);
    expect(await insertSignature(ledger, { sourceId: 'hook2', signature: 'ab12', now, expiresAt })).toBe(true);
    const later = new Date('2026-11-20T03:05:00.001Z');
    expect(await insertSignature(ledger, { sourceId: 'hook', signature: 'ab12', now: later, expiresAt: new Date('2026-11-20T03:10:00.000Z') })).toBe(true);
    await deleteSignature(ledger, 'hook', 'ab12');
    expect(await insertSignature(ledger, { sourceId: 'hook', signature: 'ab12', now: later, expiresAt: new Date('2026-11-20T03:10:00.000Z') })).toBe(true);
  });
});
