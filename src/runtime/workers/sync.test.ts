import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { FAKE_BASE, FAKE_PASSWORD, FAKE_USER, fakeDossiers, fakeOpencps } from '../../../adapters/opencps/fake-opencps.ts';
import { ConfigSchema } from '../../../schemas/config.ts';
import { openTestLedger, type TestLedger } from '../../../test/support/ledger.ts';
import { countsBySource } from '../../ledger/metrics-read.ts';
import { getRun } from '../../ledger/runs-read.ts';
import type { SyncMessage } from './env.ts';
import { pullSource, splitSources, startScheduledSync } from './sync.ts';

const server = setupServer();
let ledger: TestLedger;
beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  ledger = await openTestLedger();
});
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  await ledger?.close();
});

const config = ConfigSchema.parse({
  sources: [
    { id: 'files', adapter: 'dvcqg-file', options: { path: '/nowhere' } },
    { id: 'pushes', adapter: 'webhook', options: {} },
    {
      id: 'motcua',
      adapter: 'opencps',
      options: {
        baseUrl: FAKE_BASE, groupId: 41201, username: FAKE_USER, passwordEnv: 'OPENCPS_PASSWORD', password: FAKE_PASSWORD,
        startDate: '2024-03-01', until: '2024-04-10', windowDays: 10, pageSize: 7, fetchHistory: false,
        unitCodes: { SXD: '000.00.20.H99', STP: '000.00.21.H99' }, retry: { maxAttempts: 2, minDelayMs: 10, maxDelayMs: 20 },
      },
    },
  ],
  targets: [],
});
// The ledger is the test's: the run's own close() must not end it.
const borrowed = () => ({ ...ledger, close: async () => {} });

it('runs only the sources pulled over HTTP and says why the others are skipped', () => {
  const { runnable, skipped } = splitSources(config);
  expect(runnable.map((s) => s.id)).toEqual(['motcua']);
  expect(skipped.map((s) => [s.id, s.reason.split(' ')[0]])).toEqual([['files', 'not'], ['pushes', 'push-only']]);
});

it('opens no run and no connection when no source can run on Workers', async () => {
  const out = await startScheduledSync(() => {
    throw new Error('must not open the ledger');
  }, ConfigSchema.parse({ sources: [config.sources[0]] }), { cron: '0 18 * * *' });
  expect(out).toEqual({ runId: null, fannedOut: [], skipped: [expect.objectContaining({ id: 'files' })] });
});

it('fans out one message per source, and the consumer pulls it into the ledger and finishes the run', async () => {
  server.use(...fakeOpencps(fakeDossiers(12)).handlers);
  const sent: SyncMessage[] = [];
  const out = await startScheduledSync(borrowed, config, { cron: '0 18 * * *', queue: { sendBatch: async (m) => void sent.push(...[...m].map((x) => x.body)) } });
  expect(sent).toEqual([{ sourceId: 'motcua', runId: out.runId }]);
  const open = await getRun(ledger, out.runId as string);
  expect(open).toMatchObject({ finishedAt: null, status: 'running', host: 'workers' });

  const summary = await pullSource(ledger, config, sent[0] as SyncMessage);
  expect(summary.error).toBeUndefined();
  expect(summary.pulled).toBe(12);
  const n = (await countsBySource(ledger)).dossiers.get('motcua') ?? 0;
  expect(n).toBe(summary.new);
  expect(n).toBeGreaterThan(0);
  const run = await getRun(ledger, out.runId as string);
  expect(run?.finishedAt).not.toBeNull();
  expect(run?.summary).toMatchObject({ sources: [expect.objectContaining({ id: 'motcua', pulled: 12 })] });
});

it('records a source that fails with its error and still finishes the run', async () => {
  const out = await startScheduledSync(borrowed, config, { cron: '0 18 * * *', queue: { sendBatch: async () => {} } });
  // The local system is down: every call answers 503 (retried, then the source fails).
  server.use(http.all(`${FAKE_BASE}/*`, () => new HttpResponse('Service Unavailable', { status: 503 })));
  const summary = await pullSource(ledger, config, { sourceId: 'motcua', runId: out.runId as string });
  expect(summary.error).toMatch(/503/);
  const run = await getRun(ledger, out.runId as string);
  expect(run).toMatchObject({ status: 'attention', exitCode: 2 });
});
