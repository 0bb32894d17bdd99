import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { makeDossier } from '../rules/test-dossier.ts';
import { readCursor, storePage, type ValidRecord } from './store-page.ts';

const record = (code: string): ValidRecord => {
  const dossier = makeDossier({ code, status: 4, received: '2026-10-05 09:00', due: '2026-10-20 17:00' });
  return { dossier, raw: { MaHoSo: code }, hash: `h-${code}` };
};

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
  // A real failure inside the page's transaction: the database refuses one dossier code, after
  // the other dossiers of the page were written.
  await ledger.rows(sql.raw(`create function refuse_boom() returns trigger language plpgsql as $$
    begin if new.code like '%-BOOM' then raise exception 'refused by the test'; end if; return new; end $$`));
  await ledger.rows(sql.raw(`create trigger refuse_boom before insert or update on dossiers for each row execute function refuse_boom()`));
});
afterAll(() => ledger?.close());

describe('storePage: the cursor moves only with a stored page', () => {
  it('a page that fails to store leaves the cursor and the dossiers as they were', async () => {
    await storePage(ledger, { sourceId: 'src', runId: null, valid: [record('000.00.01.H44-261005-0001')], invalid: [], targetIds: [], cursor: { page: 1 } });
    expect(await readCursor(ledger, 'src')).toEqual({ page: 1 });

    const failing = storePage(ledger, {
      sourceId: 'src',
      runId: null,
      valid: [record('000.00.01.H44-261005-0002'), record('000.00.01.H44-261005-BOOM')],
      invalid: [],
      targetIds: [],
      cursor: { page: 2 },
    });
    const error = (await failing.catch((e: unknown) => e)) as Error & { cause?: Error };
    expect(`${error.message} ${error.cause?.message ?? ''}`).toMatch(/refused by the test/);
    expect(await readCursor(ledger, 'src')).toEqual({ page: 1 });
    const codes = await ledger.rows<{ code: string }>(sql`select code from dossiers where source_id = 'src' order by code`);
    expect(codes.map((r) => r.code)).toEqual(['000.00.01.H44-261005-0001']);
  });
});
