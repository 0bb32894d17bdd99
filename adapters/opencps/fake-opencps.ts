/**
 * A fake OpenCPS installation for tests (msw handlers): the list with `start`/`end`, date-window,
 * status and agency filters and the 10,000-row window (403 "No Content."), the detail, the logs,
 * Basic auth answered by HTTP 203 when wrong, and injectable faults. Rows are cloned from the
 * recorded-style fixtures.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
export const FIXTURE_A = fixture('list-a.json') as { total: number; data: Record<string, unknown>[] };
export const FIXTURE_B = fixture('list-b-bare-object.json') as { total: number; data: Record<string, unknown> };
export const FIXTURE_LOGS = fixture('logs-190533.json') as { total: number; data: Record<string, unknown>[] };
export const FIXTURE_DETAIL = fixture('detail-190533.json') as Record<string, unknown>;
export const FIXTURE_SEQUENCES = fixture('sequences-190533.json') as Record<string, unknown>;

export const FAKE_BASE = 'http://opencps.test/o/rest/v2';
export const FAKE_USER = 'lienthong@example.vn';
export const FAKE_PASSWORD = 'Pa55-word-OpenCPS';

const p2 = (n: number) => String(n).padStart(2, '0');

/** `count` dossiers received one or two a day from 2024-03-01, statuses cycling. */
export function fakeDossiers(count: number): Record<string, unknown>[] {
  const statuses = ['processing', 'done', 'releasing', 'waiting', 'denied'];
  return Array.from({ length: count }, (_, i) => {
    const base = FIXTURE_A.data[i % 2] as Record<string, unknown>;
    const day = 1 + Math.floor(i / 2);
    const d = new Date(Date.UTC(2024, 2, day));
    const vn = `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
    const status = statuses[i % statuses.length] as string;
    return {
      ...base,
      dossierId: 200000 + i,
      referenceUid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      dossierNo: `SXD.2403${p2(d.getUTCDate())}.${String(i).padStart(5, '0')}`,
      govAgencyCode: i % 3 === 0 ? 'STP' : 'SXD',
      createDate: `${vn} 08:${p2(i % 60)}:00`,
      submitDate: `${vn} 08:${p2(i % 60)}:00`,
      receiveDate: `${vn} 09:${p2(i % 60)}:00`,
      releaseDate: status === 'done' || status === 'releasing' ? `${vn} 16:00:00` : '',
      finishDate: status === 'done' || status === 'denied' ? `${vn} 17:00:00` : '',
      dossierStatus: status,
      dossierSubStatus: '',
    };
  });
}

const vnDay = (text: string): string => {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  return m ? `${m[3]}-${p2(Number(m[2]))}-${p2(Number(m[1]))}` : '';
};

export interface FakeOpencps {
  rows: Record<string, unknown>[];
  calls: { list: URLSearchParams[]; detail: string[]; logs: string[]; sequences: string[] };
  /** Dossier ids whose log answers 403 "No Content." (a blank log entry, §6.1). */
  brokenLogs: Set<string>;
  /** Statuses to answer the next list calls with (then normal answers). */
  faults: { status: number; retryAfter?: string; body?: string }[];
  /** Replace the next list answer's body. */
  nextListBody?: unknown;
  maxWindow: number;
}

/** msw handlers serving `rows` as an OpenCPS site `groupId` 41201. */
export function fakeOpencps(rows: Record<string, unknown>[]): { state: FakeOpencps; handlers: ReturnType<typeof http.get>[] } {
  const state: FakeOpencps = { rows, calls: { list: [], detail: [], logs: [], sequences: [] }, brokenLogs: new Set(), faults: [], maxWindow: 10_000 };
  const expected = `Basic ${Buffer.from(`${FAKE_USER}:${FAKE_PASSWORD}`).toString('base64')}`;
  const guard = (request: Request): Response | null => {
    if (request.headers.get('authorization') !== expected) return HttpResponse.json({ message: 'Non-Authoritative Information.', code: 203, description: 'Non-Authoritative Information.' }, { status: 203 });
    if (request.headers.get('groupId') !== '41201') return HttpResponse.json({ total: 0 });
    return null;
  };
  const list = http.get(`${FAKE_BASE}/dossiers`, ({ request }) => {
    const refused = guard(request);
    if (refused) return refused;
    const q = new URL(request.url).searchParams;
    state.calls.list.push(q);
    const fault = state.faults.shift();
    if (fault) return new HttpResponse(fault.body ?? 'error', { status: fault.status, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {} });
    if (state.nextListBody !== undefined) {
      const body = state.nextListBody;
      delete state.nextListBody;
      return HttpResponse.json(body as Record<string, unknown>);
    }
    let hits = state.rows;
    for (const [param, field] of [['ReceiveDate', 'receiveDate'], ['ReleaseDate', 'releaseDate'], ['FinishDate', 'finishDate']] as const) {
      const from = q.get(`from${param}`);
      const to = q.get(`to${param}`);
      if (from && to) hits = hits.filter((r) => vnDay(String(r[field])) >= vnDay(from) && vnDay(String(r[field])) <= vnDay(to));
    }
    const statuses = q.get('status')?.split(',');
    if (statuses) hits = hits.filter((r) => statuses.includes(String(r['dossierStatus'])));
    const agencies = q.get('agency')?.split(',');
    if (agencies) hits = hits.filter((r) => agencies.includes(String(r['govAgencyCode'])));
    const start = Number(q.get('start'));
    const end = Number(q.get('end'));
    if (end > state.maxWindow) return HttpResponse.json({ message: 'No Content.', code: 403, description: 'Result window is too large' }, { status: 403 });
    const page = hits.slice(start, end);
    return HttpResponse.json(page.length ? { total: hits.length, data: page.length === 1 ? page[0] : page } : { total: hits.length });
  });
  const detail = http.get(`${FAKE_BASE}/dossiers/:id`, ({ request, params }) => {
    const refused = guard(request);
    if (refused) return refused;
    state.calls.detail.push(String(params['id']));
    const row = state.rows.find((r) => String(r['dossierId']) === params['id']);
    if (!row) return HttpResponse.json({ originality: 0, systemId: 0, serviceLevel: 0, processUnit: 0 });
    return HttpResponse.json({ ...row, modifiedDate: row['receiveDate'], stepOverdue: 'true', serviceLevel: 0, dossierIdCTN: '' });
  });
  const logs = http.get(`${FAKE_BASE}/dossierlogs/:id/logs`, ({ request, params }) => {
    const refused = guard(request);
    if (refused) return refused;
    state.calls.logs.push(String(params['id']));
    if (state.brokenLogs.has(String(params['id']))) return HttpResponse.json({ message: 'No Content.', code: 403, description: 'JSONException' }, { status: 403 });
    return HttpResponse.json(String(params['id']) === '190533' ? FIXTURE_LOGS : { total: 0, data: [] });
  });
  const sequences = http.get(`${FAKE_BASE}/dossiers/:id/sequences`, ({ request, params }) => {
    const refused = guard(request);
    if (refused) return refused;
    state.calls.sequences.push(String(params['id']));
    return HttpResponse.json(String(params['id']) === '190533' ? FIXTURE_SEQUENCES : { total: 0, data: [] });
  });
  return { state, handlers: [list, detail, logs, sequences] };
}
