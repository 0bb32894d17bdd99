import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, UpstreamSchemaError, type GatewayError } from '../../src/errors.ts';
import type { Page } from '../../src/sdk/index.ts';
import type { OpencpsCursor, OpencpsOptions } from './config.ts';
import { FAKE_BASE, FAKE_PASSWORD, FAKE_USER, FIXTURE_A, FIXTURE_B, FIXTURE_DETAIL, FIXTURE_LOGS, fakeDossiers, fakeOpencps, type FakeOpencps } from './fake-opencps.ts';
import { opencpsAdapter } from './index.ts';
import { planRun, splitQuery } from './pull.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const golden = (name: string): unknown => JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8'));
const MAP = { unitCodes: { SXD: '000.00.20.H99' } };

function options(extra: Record<string, unknown> = {}): OpencpsOptions {
  return opencpsAdapter.configSchema.parse({
    baseUrl: FAKE_BASE, groupId: 41201, username: FAKE_USER, passwordEnv: 'OPENCPS_PASSWORD', password: FAKE_PASSWORD,
    startDate: '2024-03-01', until: '2024-04-10', windowDays: 10, pageSize: 7, fetchHistory: false,
    retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 }, ...extra,
  });
}

function serve(rows: Record<string, unknown>[]): { state: FakeOpencps } {
  const fake = fakeOpencps(rows);
  server.use(...fake.handlers);
  return fake;
}

async function pullAll(opts: OpencpsOptions, cursor: OpencpsCursor | null, stopAfter = Infinity): Promise<{ pages: Page<OpencpsCursor>[]; ids: string[] }> {
  const pages: Page<OpencpsCursor>[] = [];
  for await (const page of opencpsAdapter.pull(opts, cursor, { pageSize: 100 })) {
    pages.push(page);
    if (pages.length >= stopAfter) break;
  }
  const ids = pages.flatMap((p) => p.records.map((r) => String((r.raw as { list: { dossierId: unknown } }).list.dossierId)));
  return { pages, ids };
}

async function failureOf(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('expected a failure');
}

describe('opencps pull', () => {
  it('pulls every dossier once through overlapping windows and the open-status scan, to the end', async () => {
    const fake = serve(fakeDossiers(60));
    const { pages, ids } = await pullAll(options(), null);
    expect(new Set(ids).size).toBe(60);
    expect(ids).toHaveLength(60);
    expect(pages.at(-1)?.cursor).toEqual({ doneUntil: '2024-04-10' });
    const first = fake.state.calls.list[0]!;
    expect(Object.fromEntries(first)).toMatchObject({ start: '0', end: '7', order: 'false', originality: '1,2,3', fromReceiveDate: '01/03/2024', toReceiveDate: '10/03/2024' });
    expect(fake.state.calls.list.some((q) => q.get('status') === 'new,receiving,processing,interoperating,waiting,paying,releasing,posting')).toBe(true);
    expect(fake.state.calls.detail).toHaveLength(60);
  });

  it('resumes from a cursor taken mid-run and misses nothing', async () => {
    serve(fakeDossiers(60));
    const head = await pullAll(options(), null, 3);
    const cursor = head.pages.at(-1)!.cursor;
    expect(cursor.run?.queries.length).toBeGreaterThan(0);
    const tail = await pullAll(options(), JSON.parse(JSON.stringify(cursor)) as OpencpsCursor);
    expect(new Set([...head.ids, ...tail.ids]).size).toBe(60);
  });

  it('starts the next run one overlap day before the last completed one', () => {
    const q = planRun(options({ windowDays: 1, dateFields: ['receive'], openStatuses: [] }), '2024-04-09', '2024-04-10');
    expect(q).toEqual([
      { kind: 'window', field: 'receive', from: '2024-04-09', to: '2024-04-09' },
      { kind: 'window', field: 'receive', from: '2024-04-10', to: '2024-04-10' },
    ]);
  });

  it('splits a query whose total exceeds the result window, and fails clearly when it cannot', async () => {
    serve(fakeDossiers(60));
    const { ids } = await pullAll(options({ maxWindowRows: 10, agencies: ['SXD', 'STP'] }), null);
    expect(new Set(ids).size).toBe(60);
    expect(splitQuery({ kind: 'open', statuses: ['processing'] }, options())).toBeNull();
    const err = await failureOf(pullAll(options({ maxWindowRows: 1, windowDays: 1, dateFields: ['receive'] }), null));
    expect(err.message).toMatch(/more than the server's result window \(1\).*options\.agencies/);
  });

  it('reads a one-row page sent as a bare object and an empty page without data', async () => {
    const fake = serve([]);
    fake.state.nextListBody = FIXTURE_B;
    const { ids } = await pullAll(options({ dateFields: ['finish'], openStatuses: [], startDate: '2024-03-01', until: '2024-03-01' }), null);
    expect(ids).toEqual(['189902']);
  });

  it('turns HTTP 203 (failed login) into a configuration error that never shows the password', async () => {
    serve(fakeDossiers(3));
    const logged = vi.spyOn(process.stdout, 'write');
    const err = await failureOf(pullAll(options({ password: 'wrong-Secret-123' }), null));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/login of "lienthong@example.vn" was refused \(HTTP 203/);
    const everything = `${err.message} ${String(err.stack)} ${JSON.stringify(err)} ${logged.mock.calls.flat().join(' ')}`;
    expect(everything).not.toContain('wrong-Secret-123');
    expect(everything).not.toContain(Buffer.from(`${FAKE_USER}:wrong-Secret-123`).toString('base64'));
    logged.mockRestore();
  });

  it('turns 401 into a configuration error and refuses to start without a resolved password', async () => {
    const fake = serve(fakeDossiers(3));
    fake.state.faults.push({ status: 401, body: `denied for ${FAKE_PASSWORD}` });
    const err = await failureOf(pullAll(options(), null));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).not.toContain(FAKE_PASSWORD);
    const noPassword = opencpsAdapter.configSchema.parse({ baseUrl: FAKE_BASE, groupId: '41201', username: 'u', passwordEnv: 'OPENCPS_PASSWORD' });
    const missing = await failureOf(pullAll(noPassword, null));
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toContain('OPENCPS_PASSWORD');
  });

  it('waits for Retry-After on 429 and retries a 500, then carries on', async () => {
    const fake = serve(fakeDossiers(10));
    fake.state.faults.push({ status: 429, retryAfter: '1' }, { status: 500 });
    const t = Date.now();
    const { ids } = await pullAll(options({ dateFields: ['receive'], openStatuses: [] }), null);
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);
    expect(new Set(ids).size).toBe(10);
  });

  it('fails on a list without total, and does not retry a 403 "No Content."', async () => {
    const fake = serve(fakeDossiers(3));
    fake.state.nextListBody = { data: [] };
    const err = await failureOf(pullAll(options(), null));
    expect(err).toBeInstanceOf(UpstreamSchemaError);
    expect(err.message).toMatch(/total/);
    fake.state.faults.push({ status: 403, body: JSON.stringify({ message: 'No Content.', code: 403, description: 'Result window is too large' }) });
    const before = fake.state.calls.list.length;
    const forbidden = await failureOf(pullAll(options(), null));
    expect(forbidden.retryable).toBe(false);
    expect(forbidden.message).toMatch(/No Content.*Result window is too large/);
    expect(fake.state.calls.list.length - before).toBe(1);
  });

  it('stores detail and history without the look-up PIN or the "now"-dependent texts', async () => {
    serve([{ ...(FIXTURE_A.data[1] as Record<string, unknown>) }]);
    const { pages } = await pullAll(options({ fetchHistory: true, startDate: '2024-03-11', until: '2024-03-11' }), null);
    const record = pages.flatMap((p) => p.records)[0]!;
    const text = JSON.stringify(record.raw);
    expect(text).not.toContain('hasPassword');
    expect(text).not.toContain('dossierOverdue');
    expect(record.key).toBe('SXD.240311.00044');
    const mapped = opencpsAdapter.map(record.raw, { sourceId: 'qt' });
    expect(mapped.ok && mapped.value.progress.map((p) => p.at)).toEqual(['2024-03-11T01:16:05.000Z', '2024-03-11T03:41:27.000Z']);
  });
});

describe('opencps check', () => {
  it('probes the list with one row, and names a refused login as a configuration error', async () => {
    const fake = serve(fakeDossiers(3));
    await expect(opencpsAdapter.check!(options())).resolves.toBeUndefined();
    expect(Object.fromEntries(fake.state.calls.list[0]!)).toMatchObject({ start: '0', end: '1' });
    await expect(opencpsAdapter.check!(options({ password: 'nope-nope' }))).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('opencps history fallback', () => {
  it('reads the process phases when the log answers 403, and keeps a warning', async () => {
    const fake = serve([{ ...(FIXTURE_A.data[1] as Record<string, unknown>) }]);
    fake.state.brokenLogs.add('190533');
    const { pages } = await pullAll(options({ fetchHistory: true, startDate: '2024-03-11', until: '2024-03-11' }), null);
    const record = pages.flatMap((p) => p.records)[0]!;
    expect(fake.state.calls.sequences).toEqual(['190533']);
    const mapped = opencpsAdapter.map(record.raw, { sourceId: 'qt' });
    expect(mapped.ok && mapped.value.progress).toEqual([
      { handler: 'Nguyễn Thị Hoa', title: null, at: '2024-03-11T03:41:27.000Z', department: null, action: 'Bàn giao thụ lý', status: 4, startedAt: null, dueAt: '2024-03-13T03:41:00.000Z' },
    ]);
    expect(mapped.ok && mapped.value.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^the processing history could not be read: opencps answered HTTP 403 "No Content\."/)]);
  });
});

describe('opencps mapping', () => {
  const map = (raw: unknown, extra: Record<string, unknown> = {}) => opencpsAdapter.map(raw, { sourceId: 'qt', options: { ...MAP, ...extra } } as never);

  it('maps the recorded fixtures to the golden canonical dossiers', () => {
    expect(map({ list: FIXTURE_A.data[0], detail: null, logs: null })).toStrictEqual({ ok: true, value: golden('190417-list-only.json') });
    expect(map({ list: FIXTURE_A.data[1], detail: FIXTURE_DETAIL, logs: FIXTURE_LOGS.data })).toStrictEqual({ ok: true, value: golden('190533-with-detail-and-history.json') });
    expect(map({ list: FIXTURE_B.data, detail: null, logs: [] })).toStrictEqual({ ok: true, value: golden('189902-bare-object.json') });
  });

  it('maps a server that keeps declared String types (every scalar as text) to the same dossier', () => {
    const stringified = Object.fromEntries(Object.entries(FIXTURE_A.data[0]!).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v]));
    const out = map({ list: stringified, detail: null, logs: null });
    const { warnings: _w, ...rest } = golden('190417-list-only.json') as { warnings: unknown };
    expect(out.ok && { ...out.value, warnings: undefined }).toStrictEqual({ ...rest, warnings: undefined });
  });

  it('lets a per-source sub-status table win over the status table and the defaults', () => {
    const out = map({ list: FIXTURE_A.data[1], detail: null, logs: null }, { statusMap: { processing: 5 }, subStatusMap: { processing_1: 2 } });
    expect(out.ok && out.value.status).toEqual({ code: 2, name: 'received' });
    const viaTables = map({ list: FIXTURE_A.data[1], detail: null, logs: null }, { tables: { subStatus: { 'processing/processing_1': 6 } } });
    expect(viaTables.ok && viaTables.value.status.code).toBe(6);
    const noSub = map({ list: { ...FIXTURE_A.data[1], dossierSubStatus: '' }, detail: null, logs: null }, { statusMap: { processing: 5 } });
    expect(noSub.ok && noSub.value.status.code).toBe(5);
  });

  it('reports every issue of a malformed record with its path', () => {
    const missing = map({ list: { ...FIXTURE_A.data[0], dossierId: undefined, serviceCode: '' }, detail: null, logs: null });
    expect(missing).toEqual({ ok: false, issues: expect.arrayContaining([expect.objectContaining({ path: 'list.dossierId' }), expect.objectContaining({ path: 'list.serviceCode' })]) });
    const bad = map({
      list: { ...FIXTURE_A.data[0], receiveDate: '31/02/2024 09:30:45', dueDate: '2024/03/18', dossierStatus: 'pausing' },
      detail: null,
      logs: [{ createDate: 'yesterday', notificationType: 'PROCESS_TYPE', payload: {} }],
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.path).sort()).toEqual(['list.dossierStatus', 'list.dueDate', 'list.receiveDate', 'logs[0].createDate']);
    expect(!bad.ok && bad.issues.find((i) => i.path === 'list.dossierStatus')?.message).toMatch(/local status "pausing" \(sub-status "releasing_1"\) has no national code/);
    const unnumbered = map({ list: { ...FIXTURE_A.data[0], dossierNo: '' }, detail: null, logs: null });
    expect(!unnumbered.ok && unnumbered.issues[0]?.path).toBe('list.dossierNo');
  });

  it('repairs TCVN3 mojibake in a text field and records a warning', () => {
    const out = map({ list: { ...FIXTURE_A.data[0], briefNote: 'Céng hßa x· héi chñ nghÜa ViÖt Nam' }, detail: null, logs: null });
    expect(out.ok && out.value.summary).toBe('Cộng hòa xã hội chủ nghĩa Việt Nam');
    expect(out.ok && out.value.warnings.some((w) => w.path === 'list.briefNote')).toBe(true);
  });
});
