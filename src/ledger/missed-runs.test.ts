import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { insertMissedRun, lastSyncStart } from './missed-runs.ts';
import { listRuns } from './runs-read.ts';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
});
afterAll(() => ledger?.close());

describe('missed runs', () => {
  it('a missed run is a sync run started at its due instant; the last start is read back as that instant', async () => {
    expect(await lastSyncStart(ledger, 'motcua')).toBeNull();
    await insertMissedRun(ledger, { sourceId: 'motcua', scheduledFor: '2026-11-21T18:00:00.000Z', reason: 'not_running' });
    await insertMissedRun(ledger, { sourceId: 'motcua', scheduledFor: '2026-11-22T18:00:00.250Z', reason: 'still_running' });
    await insertMissedRun(ledger, { sourceId: 'other', scheduledFor: '2026-11-23T18:00:00.000Z', reason: 'not_running' });
    expect((await lastSyncStart(ledger, 'motcua'))?.toISOString()).toBe('2026-11-22T18:00:00.250Z');
    const [run] = await listRuns(ledger, { limit: 1, source: 'motcua' });
    expect(run).toMatchObject({ kind: 'sync', status: 'missed', startedAt: '2026-11-22T18:00:00.250Z', finishedAt: null });
    expect(run?.summary).toEqual({ missed: true, reason: 'still_running', scheduledFor: '2026-11-22T18:00:00.250Z', sources: [{ id: 'motcua' }] });
  });
});
