/**
 * Issue #10 item 11: OpenCPS interconnection copies (`originDossierId` ≠ 0, an `originDossierNo`)
 * and dossiers submitted on DVCQG (`systemId` 5) are read and kept, marked `notPushed` with the
 * reason (visible in `dossier show`), unless the source's options say `push`. Through the pipeline
 * against the fake site (fake-opencps.ts).
 */
import { sql } from 'drizzle-orm';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../schemas/config.ts';
import type { Dossier } from '../../schemas/dossier.ts';
import { getDossierDetail } from '../../src/ledger/queries.ts';
import { ingestSource } from '../../src/pipeline/ingest.ts';
import type { AdapterDefinition } from '../../src/sdk/index.ts';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { FAKE_BASE, FAKE_PASSWORD, FAKE_USER, FIXTURE_A, fakeDossiers, fakeOpencps } from './fake-opencps.ts';
import { opencpsAdapter, toDossier } from './index.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const row = (extra: Record<string, unknown>) => ({ list: { ...(FIXTURE_A.data[1] as Record<string, unknown>), ...extra }, detail: null, logs: null });
const mapped = (extra: Record<string, unknown>, options: Record<string, unknown> = {}): Dossier => {
  const out = toDossier(row(extra), options);
  if (!out.ok) throw new Error(JSON.stringify(out.issues));
  return out.value;
};

describe('opencps: copies and DVCQG-originated dossiers are kept, not pushed', () => {
  it('marks an interconnection copy (originDossierId ≠ 0 or an originDossierNo, as number or text) with its reason', () => {
    expect(mapped({ originDossierId: 190500, originDossierNo: 'STP.240301.00007' }).notPushed).toEqual({
      kind: 'interconnection_copy',
      reason: 'interconnection copy of OpenCPS dossier 190500 (STP.240301.00007): OpenCPS never pushes copies and the origin is counted on DVCQG already, so it is kept here but not pushed (options.interconnection "push" sends it)',
    });
    expect(mapped({ originDossierId: '190500', originDossierNo: '' }).notPushed?.kind).toBe('interconnection_copy');
    expect(mapped({ originDossierId: 0, originDossierNo: 'STP.240301.00007' }).notPushed?.reason).toMatch(/^interconnection copy of dossier STP\.240301\.00007:/);
  });

  it('marks a dossier submitted on DVCQG (systemId 5, number or text)', () => {
    expect(mapped({ systemId: 5 }).notPushed).toEqual({ kind: 'dvcqg_origin', reason: expect.stringMatching(/^submitted on DVCQG \(systemId 5\): .*options\.dvcqgOrigin "push" sends it\)$/) });
    expect(mapped({ systemId: '5' }).notPushed?.kind).toBe('dvcqg_origin');
  });

  it('leaves an ordinary dossier unmarked (originDossierId 0, empty originDossierNo, systemId 0), and "push" lifts each mark', () => {
    const plain = mapped({ originDossierId: 0, originDossierNo: '', systemId: 0 });
    expect(plain.notPushed).toBeUndefined();
    expect('notPushed' in plain).toBe(false);
    expect(mapped({ originDossierId: 190500 }, { interconnection: 'push' }).notPushed).toBeUndefined();
    expect(mapped({ systemId: 5 }, { dvcqgOrigin: 'push' }).notPushed).toBeUndefined();
    // Each switch lifts only its own mark.
    expect(mapped({ originDossierId: 190500, systemId: 5 }, { interconnection: 'push' }).notPushed?.kind).toBe('dvcqg_origin');
  });

  it('the options default to skip and accept only skip | push', () => {
    const base = { baseUrl: FAKE_BASE, groupId: 41201, username: FAKE_USER, password: FAKE_PASSWORD };
    expect(opencpsAdapter.configSchema.parse(base)).toMatchObject({ interconnection: 'skip', dvcqgOrigin: 'skip' });
    expect(opencpsAdapter.configSchema.safeParse({ ...base, interconnection: 'never' }).success).toBe(false);
  });
});

describe('opencps: marked dossiers through the pipeline', () => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await openTestLedger();
  });
  afterEach(async () => {
    await ledger.close();
  });

  const source = (extra: Record<string, unknown> = {}): SourceConfig => ({
    id: 'opencps-sxd',
    adapter: 'opencps',
    units: [],
    pageSize: 50,
    options: { baseUrl: FAKE_BASE, groupId: 41201, username: FAKE_USER, passwordEnv: 'OPENCPS_IC_PASSWORD', startDate: '2024-03-01', until: '2024-03-03', fetchHistory: false, retry: { maxAttempts: 2, minDelayMs: 10, maxDelayMs: 20 }, ...extra },
  });
  const env = { OPENCPS_IC_PASSWORD: FAKE_PASSWORD };

  it('reads and stores every dossier (nothing lost); the copy and the DVCQG one carry their reason in the ledger', async () => {
    const rows = fakeDossiers(4);
    rows[1] = { ...rows[1], originDossierId: 200000, originDossierNo: rows[0]!['dossierNo'] };
    rows[2] = { ...rows[2], systemId: 5 };
    server.use(...fakeOpencps(rows).handlers);
    const summary = await ingestSource(ledger, source(), opencpsAdapter as unknown as AdapterDefinition<unknown, unknown>, { env, runId: null, targetIds: ['national'] });
    expect(summary).toMatchObject({ pulled: 4, new: 4, quarantined: 0 });
    const canonical = async (code: unknown) => ((await getDossierDetail(ledger, String(code)))[0]!.canonical as Dossier).notPushed;
    expect(await canonical(rows[0]!['dossierNo'])).toBeUndefined();
    expect(await canonical(rows[1]!['dossierNo'])).toMatchObject({ kind: 'interconnection_copy', reason: expect.stringContaining(`OpenCPS dossier 200000 (${String(rows[0]!['dossierNo'])})`) });
    expect(await canonical(rows[2]!['dossierNo'])).toMatchObject({ kind: 'dvcqg_origin' });
    expect(await canonical(rows[3]!['dossierNo'])).toBeUndefined();
    // Only the two ordinary dossiers are queued for the portal.
    const queued = await ledger.rows<{ code: string }>(sql`select d.code from deliveries q join dossiers d on d.id = q.dossier_id order by d.code`);
    expect(queued.map((q) => q.code)).toEqual([String(rows[0]!['dossierNo']), String(rows[3]!['dossierNo'])].sort());

    // Switching to push re-reads the source (options changed) and stores the copy again without its mark.
    server.resetHandlers(...fakeOpencps(rows).handlers);
    const again = await ingestSource(ledger, source({ interconnection: 'push' }), opencpsAdapter as unknown as AdapterDefinition<unknown, unknown>, { env, runId: null, targetIds: ['national'] });
    expect(again).toMatchObject({ reread: 'options', changed: 1 });
    expect(await canonical(rows[1]!['dossierNo'])).toBeUndefined();
    expect(await canonical(rows[2]!['dossierNo'])).toMatchObject({ kind: 'dvcqg_origin' });
    // The copy, pushed now, is queued; the DVCQG one still is not.
    const after = await ledger.rows<{ code: string }>(sql`select d.code from deliveries q join dossiers d on d.id = q.dossier_id`);
    expect(after.map((q) => q.code).sort()).toEqual([String(rows[0]!['dossierNo']), String(rows[1]!['dossierNo']), String(rows[3]!['dossierNo'])].sort());
  });
});
