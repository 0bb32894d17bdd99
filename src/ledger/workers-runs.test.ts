import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { getRun } from './runs-read.ts';
import { addSourceToRun, insertWorkersRun } from './workers-runs.ts';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
});
afterAll(() => ledger?.close());

describe('a Workers sync run', () => {
  it('finishes only when every expected source reported; a source with quarantined records makes it attention', async () => {
    const runId = crypto.randomUUID();
    await insertWorkersRun(ledger, runId, { expected: ['a', 'b'], sources: [], skipped: [{ id: 'files', reason: 'không qua HTTP' }] });
    const a = { id: 'a', pulled: 3, quarantined: 0 };
    await addSourceToRun(ledger, runId, a);
    expect(await getRun(ledger, runId)).toMatchObject({ host: 'workers', kind: 'sync', status: 'running', finishedAt: null, exitCode: null });
    await addSourceToRun(ledger, runId, { id: 'b', quarantined: 1 });
    const run = await getRun(ledger, runId);
    expect(run).toMatchObject({ status: 'attention', exitCode: 2, finishedAt: expect.stringMatching(/Z$/) });
    expect(run?.summary).toEqual({ expected: ['a', 'b'], sources: [{ id: 'a', pulled: 3, quarantined: 0 }, { id: 'b', quarantined: 1 }], skipped: [{ id: 'files', reason: 'không qua HTTP' }] });
  });

  it('is ok (exit code 0) when no source failed or quarantined', async () => {
    const runId = crypto.randomUUID();
    await insertWorkersRun(ledger, runId, { expected: ['a'] });
    await addSourceToRun(ledger, runId, { id: 'a', quarantined: 0 });
    expect(await getRun(ledger, runId)).toMatchObject({ status: 'ok', exitCode: 0 });
  });
});
