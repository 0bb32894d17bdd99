/**
 * Declared paging over a REST/JSON records endpoint: page/size, offset/limit, cursor token, or
 * next link (body path or `Link` header), with an optional "modified since" parameter. The
 * cursor holds the page to read next and the run's watermark, so a crash resumes at that page;
 * the watermark moves only when a run reaches the end.
 */
import { fillTemplate, formatDate, jsonEscape, keyPathOf, parseDate, plainPath, toRawRecords, UpstreamSchemaError, type Page, type PullContext } from '../../src/sdk/index.ts';
import { getPath } from '../../src/sdk/mapping/paths.ts';
import { jsonOf, type RestClient } from './client.ts';
import type { RestJsonCursor, RestJsonOptions, RestPageState } from './config.ts';

export function firstPage(options: RestJsonOptions): RestPageState {
  const p = options.paging;
  if (p.type === 'page') return { page: p.firstPage };
  if (p.type === 'offset') return { offset: 0 };
  if (p.type === 'cursor') return { cursor: null };
  if (p.type === 'link') return { url: options.path };
  return { page: 0 };
}

/** `Link: <https://…?page=3>; rel="next"` → the next URL. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;.*\brel="?next"?/i.exec(part);
    if (m?.[1]) return m[1];
  }
  return null;
}

export { keyPathOf, toRawRecords };

function describe(state: RestPageState): string {
  if ('page' in state) return `page ${state.page}`;
  if ('offset' in state) return `offset ${state.offset}`;
  if ('cursor' in state) return `cursor ${state.cursor ?? '(first)'}`;
  if ('url' in state) return state.url;
  return 'end';
}

export async function* pullRestJson(client: RestClient, options: RestJsonOptions, cursor: RestJsonCursor | null, ctx: PullContext, now = new Date()): AsyncGenerator<Page<RestJsonCursor>> {
  const ms = options.modifiedSince;
  const watermark = cursor?.watermark ?? null;
  const started: NonNullable<RestJsonCursor['run']> = cursor?.run ?? {
    since: watermark ? new Date(Date.parse(watermark) - (ms?.overlapMinutes ?? 0) * 60_000).toISOString() : (ms?.initial ? new Date(ms.initial).toISOString() : null),
    startedAt: now.toISOString(),
    next: firstPage(options),
    maxSeen: null,
  };
  const { skip: resumeSkip, ...run } = started;
  const keyPath = keyPathOf(options);
  let state = run.next;
  let maxSeen = run.maxSeen;
  let skip = resumeSkip ?? 0;
  const p = options.paging;
  while (!('done' in state)) {
    ctx.signal?.throwIfAborted();
    const values: Record<string, string | number | null> = { since: run.since && ms ? formatDate(run.since, ms.format) : '' };
    const query: Record<string, string | number> = {};
    if (ms && run.since) query[ms.param] = values['since'] as string;
    if (p.type === 'page' && 'page' in state) {
      Object.assign(query, { [p.pageParam]: state.page, [p.sizeParam]: p.size });
      Object.assign(values, { page: state.page, size: p.size });
    }
    if (p.type === 'offset' && 'offset' in state) {
      Object.assign(query, { [p.offsetParam]: state.offset, [p.limitParam]: p.size });
      Object.assign(values, { offset: state.offset, size: p.size });
    }
    if (p.type === 'cursor' && 'cursor' in state) {
      if (state.cursor !== null) query[p.cursorParam] = state.cursor;
      if (p.sizeParam) query[p.sizeParam] = p.size;
      Object.assign(values, { cursor: state.cursor, size: p.size });
    }
    const url = 'url' in state ? state.url : options.path;
    const body = options.body === undefined ? undefined : fillTemplate(options.body, values, jsonEscape);
    const answer = await client.call({
      method: options.method,
      url,
      // A next link carries its own query; static and since parameters go on the first call only.
      query: 'url' in state && state.url !== options.path ? {} : query,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
      signal: ctx.signal,
    });
    const json = jsonOf(answer, 'rest-json');
    const found = options.recordsPath ? getPath(json, plainPath(options.recordsPath)) : json;
    if (found !== undefined && found !== null && !Array.isArray(found) && typeof found !== 'object') {
      throw new UpstreamSchemaError(`rest-json ${describe(state)}: "${options.recordsPath || '(the answer)'}" is not an array of records`, { retryable: false });
    }
    const items = found === undefined || found === null ? [] : Array.isArray(found) ? found : [found];
    const records = toRawRecords(items, keyPath, describe(state));
    if (ms?.field) {
      for (const r of records) {
        const v = r.raw && typeof r.raw === 'object' ? getPath(r.raw, plainPath(ms.field)) : undefined;
        if (typeof v !== 'string' && typeof v !== 'number') continue;
        const t = parseDate(v, ms.fieldFormat);
        if (!t.ok) continue;
        // The record's modification time: an older version never overwrites a newer one in the ledger.
        r.modifiedAt = t.value;
        if (maxSeen === null || t.value > maxSeen) maxSeen = t.value;
      }
    }
    const total = options.totalPath ? Number(getPath(json, plainPath(options.totalPath))) : NaN;
    const current = state;
    state = nextState(options, state, items.length, total, json, answer.headers);
    // A page larger than the pipeline's goes out in slices; the cursor remembers how much was handed over.
    const size = Math.max(1, ctx.pageSize);
    let from = skip;
    skip = 0;
    do {
      const slice = records.slice(from, from + size);
      from += slice.length;
      if (from < records.length) {
        yield { records: slice, cursor: { watermark, run: { ...run, next: current, maxSeen, skip: from } } };
      } else if ('done' in state) {
        yield { records: slice, cursor: { watermark: ms ? (ms.field ? (maxSeen ?? watermark) : run.startedAt) : null } };
        return;
      } else {
        yield { records: slice, cursor: { watermark, run: { ...run, next: state, maxSeen } } };
      }
    } while (from < records.length);
  }
  yield { records: [], cursor: { watermark } };
}

function nextState(options: RestJsonOptions, state: RestPageState, count: number, total: number, json: unknown, headers: Headers): RestPageState {
  const p = options.paging;
  if (p.type === 'page' && 'page' in state) {
    const read = (state.page - p.firstPage + 1) * p.size;
    return count < p.size || count === 0 || (Number.isFinite(total) && read >= total) ? { done: true } : { page: state.page + 1 };
  }
  if (p.type === 'offset' && 'offset' in state) {
    const read = state.offset + count;
    return count < p.size || count === 0 || (Number.isFinite(total) && read >= total) ? { done: true } : { offset: read };
  }
  if (p.type === 'cursor') {
    const token = getPath(json, plainPath(p.cursorPath));
    return (typeof token === 'string' && token !== '') || typeof token === 'number' ? { cursor: String(token) } : { done: true };
  }
  if (p.type === 'link') {
    const next = p.nextPath ? getPath(json, plainPath(p.nextPath)) : nextLink(headers.get('link'));
    return typeof next === 'string' && next !== '' ? { url: next } : { done: true };
  }
  return { done: true };
}
