/**
 * The nightly pull (opencps-api.md §5). OpenCPS has no "modified since" filter and its search
 * fails past ~10,000 rows, so a run is a list of queries, each kept under the result window:
 *   (a–c) overlapping day windows on the receive, release and finish dates, from `overlapDays`
 *         before the last completed run (or `startDate`) to `until`;
 *   (d)   a scan of the open statuses, which catches step changes that move no date.
 * A query whose `total` exceeds the window is split (halved date range, then one status or one
 * agency at a time). Rows are de-duplicated on `dossierId` within a pull; each new row gets its
 * detail (database truth) and processing history. The cursor holds the remaining queries and the
 * row offset, so a crash resumes at the page it stopped on.
 */
import { UpstreamHttpError } from '../../src/sdk/index.ts';
import { GatewayError } from '../../src/sdk/index.ts';
import type { Page, PullContext, RawRecord } from '../../src/sdk/index.ts';
import { addDays, localDateOf as vnDay } from '../../src/sdk/index.ts';
import type { OpencpsClient } from './client.ts';
import type { OpencpsCursor, OpencpsOptions, OpencpsQuery } from './config.ts';
import { stripVolatile, type OpencpsRawRecord } from './raw.ts';

/** The queries of a new run covering `[from, until]`. */
export function planRun(options: OpencpsOptions, from: string, until: string): OpencpsQuery[] {
  const agencies: (string | undefined)[] = options.agencies.length ? options.agencies : [undefined];
  const queries: OpencpsQuery[] = [];
  for (const field of options.dateFields) {
    for (let start = from; start <= until; start = addDays(start, options.windowDays)) {
      const end = addDays(start, options.windowDays - 1) < until ? addDays(start, options.windowDays - 1) : until;
      for (const agency of agencies) queries.push({ kind: 'window', field, from: start, to: end, ...(agency === undefined ? {} : { agency }) });
    }
  }
  if (options.openStatuses.length) for (const agency of agencies) queries.push({ kind: 'open', statuses: options.openStatuses, ...(agency === undefined ? {} : { agency }) });
  return queries;
}

/** Smaller queries covering the same rows, or null when it cannot be split further. */
export function splitQuery(query: OpencpsQuery, options: OpencpsOptions): OpencpsQuery[] | null {
  if (query.kind === 'window' && query.from < query.to) {
    const days = Math.round((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000) + 1;
    const mid = addDays(query.from, Math.floor(days / 2) - 1);
    return [
      { ...query, to: mid },
      { ...query, from: addDays(mid, 1) },
    ];
  }
  if (query.kind === 'open' && query.statuses.length > 1) return query.statuses.map((s) => ({ ...query, statuses: [s] }));
  if (query.agency === undefined && options.agencies.length) return options.agencies.map((agency) => ({ ...query, agency }));
  return null;
}

function describe(q: OpencpsQuery): string {
  const agency = q.agency ? ` agency ${q.agency}` : '';
  return q.kind === 'window' ? `${q.field} dates ${q.from}…${q.to}${agency}` : `statuses ${q.statuses.join(',')}${agency}`;
}

/** Where a new run starts and ends, given the cursor of the last completed one. */
export function runBounds(options: OpencpsOptions, cursor: OpencpsCursor | null, now = new Date()): { from: string; until: string } {
  const until = options.until ?? vnDay(now);
  const from = cursor?.doneUntil ? addDays(cursor.doneUntil, -options.overlapDays) : (options.startDate ?? addDays(until, -30));
  return { from: from > until ? until : from, until };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Detail and history of one row; a failure other than auth leaves a warning, not a lost record. */
async function enrich(client: OpencpsClient, options: OpencpsOptions, row: Record<string, unknown>, id: string, signal?: AbortSignal): Promise<OpencpsRawRecord> {
  const record: OpencpsRawRecord = { list: stripVolatile(row), detail: null, logs: null };
  const warnings: string[] = [];
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T | null> => {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof GatewayError) || e.code === 'config_error' || e.code === 'aborted') throw e;
      warnings.push(`${what} could not be read: ${e.message}`);
      return null;
    }
  };
  if (options.fetchDetail) {
    const detail = await attempt('the detail', () => client.detail(id, signal));
    record.detail = detail ? stripVolatile(detail) : null;
  }
  if (options.fetchHistory) {
    record.logs = await attempt('the processing history', () => client.logs(id, signal));
    if (record.logs === null) record.sequences = await attempt('the process phases', () => client.sequences(id, signal));
  }
  if (warnings.length) record.fetchWarnings = warnings;
  return record;
}

const idOf = (row: unknown): string | null => {
  if (!row || typeof row !== 'object') return null;
  const id = (row as Record<string, unknown>)['dossierId'];
  return typeof id === 'number' || (typeof id === 'string' && id.trim() !== '') ? String(id).trim() : null;
};

const keyOf = (row: unknown): string | null => {
  const no = row && typeof row === 'object' ? (row as Record<string, unknown>)['dossierNo'] : undefined;
  return (typeof no === 'string' && no.trim() !== '') || typeof no === 'number' ? String(no).trim().normalize('NFC') : null;
};

/** Pages of raw records from a cursor; see the file comment. */
export async function* pullOpencps(client: OpencpsClient, options: OpencpsOptions, cursor: OpencpsCursor | null, ctx: PullContext): AsyncGenerator<Page<OpencpsCursor>> {
  let run = cursor?.run;
  const doneUntil = cursor?.doneUntil ?? null;
  if (!run) {
    const { from, until } = runBounds(options, cursor);
    run = { until, queries: planRun(options, from, until), start: 0 };
  }
  const seen = new Set<string>();
  // Rows per API call: the source's setting, never more than the pipeline's page.
  const size = Math.max(1, Math.min(options.pageSize, ctx.pageSize));
  let queries = [...run.queries];
  let start = run.start;
  while (queries.length) {
    ctx.signal?.throwIfAborted();
    const query = queries[0] as OpencpsQuery;
    const answer = await client.list(query, start, start + size, ctx.signal);
    const total = answer.total;
    const rows = answer.rows.slice(0, size);
    if (start === 0 && total > options.maxWindowRows) {
      const parts = splitQuery(query, options);
      if (!parts) {
        throw new UpstreamHttpError(
          `opencps: ${describe(query)} matches ${total} dossiers, more than the server's result window (${options.maxWindowRows}); list more agencies in options.agencies to partition it`,
          { retryable: false },
        );
      }
      queries = [...parts, ...queries.slice(1)];
      continue;
    }
    const fresh: { row: Record<string, unknown>; id: string | null; index: number }[] = [];
    const records: RawRecord[] = [];
    rows.forEach((row, i) => {
      const id = idOf(row);
      if (id !== null && seen.has(id)) return;
      if (id !== null) seen.add(id);
      if (!row || typeof row !== 'object' || Array.isArray(row)) {
        records.push({ key: null, location: `${describe(query)} row ${start + i}`, raw: row, parseIssues: [{ path: '', message: 'a list row is not a JSON object' }] });
        return;
      }
      fresh.push({ row: row as Record<string, unknown>, id, index: start + i });
    });
    const enriched = await mapLimit(fresh, options.detailConcurrency, (f) =>
      f.id === null ? Promise.resolve<OpencpsRawRecord>({ list: stripVolatile(f.row), detail: null, logs: null }) : enrich(client, options, f.row, f.id, ctx.signal),
    );
    fresh.forEach((f, i) => records.push({ key: keyOf(f.row), location: `${describe(query)} row ${f.index}${f.id ? ` (dossierId ${f.id})` : ''}`, raw: enriched[i] }));
    const next = start + rows.length;
    const finished = rows.length === 0 || next >= total || rows.length < size;
    if (finished) {
      queries = queries.slice(1);
      start = 0;
    } else start = next;
    yield { records, cursor: queries.length ? { doneUntil, run: { until: run.until, queries, start } } : { doneUntil: run.until } };
  }
  if (!run.queries.length) yield { records: [], cursor: { doneUntil: run.until } };
}
