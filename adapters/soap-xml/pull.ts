/**
 * Pages of a SOAP listing operation: POST the envelope with the page (or offset) and the
 * "changed since" value filled into the declared body, read the record elements under
 * `soap:Body`, stop on a short page (or the total). The cursor holds the page to read next and the
 * run's watermark, which moves when a run reaches the end.
 */
import { ConfigError } from '../../src/sdk/index.ts';
import { createHttpClient, type HttpClient } from '../../src/sdk/http.ts';
import type { Page, PullContext } from '../../src/sdk/index.ts';
import { getPath } from '../../src/sdk/mapping/index.ts';
import { fillTemplate } from '../../src/sdk/index.ts';
import { formatDate, parseDate } from '../../src/sdk/index.ts';
import { keyPathOf, toRawRecords } from '../../src/sdk/index.ts';
import type { SoapPageState, SoapXmlCursor, SoapXmlOptions } from './config.ts';
import { parseXmlSafely, soapBody, xmlEscape } from './raw.ts';

const ENVELOPE = {
  '1.1': { ns: 'http://schemas.xmlsoap.org/soap/envelope/', type: 'text/xml; charset=utf-8' },
  '1.2': { ns: 'http://www.w3.org/2003/05/soap-envelope', type: 'application/soap+xml; charset=utf-8' },
};

/** The whole request envelope around the operation element. */
export function envelopeOf(version: '1.1' | '1.2', body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENVELOPE[version].ns}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

export function createSoapClient(options: SoapXmlOptions): HttpClient {
  const secrets = options.password ? [options.password, `${options.username ?? ''}:${options.password}`] : [];
  return createHttpClient({ baseUrl: options.url, name: 'soap-xml', timeoutMs: options.timeoutMs, retry: options.retry, secrets, maxBytes: options.maxBytes });
}

function password(options: SoapXmlOptions): string | undefined {
  const needed = options.auth === 'basic' || options.body.includes('{password}');
  if (!needed) return undefined;
  if (options.password !== undefined) return options.password;
  throw new ConfigError(`soap-xml: the password is not available: set passwordEnv to the environment variable holding it${options.passwordEnv ? ` (${options.passwordEnv} is not set)` : ''}`);
}

/** Wraps single elements of the declared list paths in arrays (XML has no one-element lists). */
function arraysOf(record: unknown, paths: readonly string[]): unknown {
  if (!record || typeof record !== 'object' || !paths.length) return record;
  const copy = structuredClone(record) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    const parent = parts.length ? getPath(copy, parts.join('.')) : copy;
    if (!parent || typeof parent !== 'object' || Array.isArray(parent)) continue;
    const v = (parent as Record<string, unknown>)[last];
    if (v === '' || v === undefined) (parent as Record<string, unknown>)[last] = [];
    else if (!Array.isArray(v)) (parent as Record<string, unknown>)[last] = [v];
  }
  return copy;
}

export async function* pullSoap(http: HttpClient, options: SoapXmlOptions, cursor: SoapXmlCursor | null, ctx: PullContext, now = new Date()): AsyncGenerator<Page<SoapXmlCursor>> {
  const ms = options.modifiedSince;
  const pw = password(options);
  const watermark = cursor?.watermark ?? null;
  const started: NonNullable<SoapXmlCursor['run']> = cursor?.run ?? {
    since: watermark ? new Date(Date.parse(watermark) - (ms?.overlapMinutes ?? 0) * 60_000).toISOString() : (ms?.initial ? new Date(ms.initial).toISOString() : null),
    startedAt: now.toISOString(),
    next: options.paging.type === 'page' ? { page: options.paging.firstPage } : options.paging.type === 'offset' ? { offset: 0 } : { page: 0 },
    maxSeen: null,
  };
  const { skip: resumeSkip, ...run } = started;
  let skip = resumeSkip ?? 0;
  let state: SoapPageState = run.next;
  let maxSeen = run.maxSeen;
  const keyPath = keyPathOf(options);
  const size = options.paging.type === 'none' ? 0 : options.paging.size;
  const headers: Record<string, string> = { 'content-type': ENVELOPE[options.soapVersion].type, accept: 'text/xml, application/soap+xml' };
  if (options.soapAction !== undefined) {
    if (options.soapVersion === '1.1') headers['soapaction'] = `"${options.soapAction}"`;
    else headers['content-type'] += `; action="${options.soapAction}"`;
  }
  if (options.auth === 'basic') headers['authorization'] = `Basic ${Buffer.from(`${options.username ?? ''}:${pw ?? ''}`).toString('base64')}`;
  while (!('done' in state)) {
    ctx.signal?.throwIfAborted();
    const where = 'page' in state ? `page ${state.page}` : `offset ${state.offset}`;
    const values = {
      page: 'page' in state ? state.page : '',
      offset: 'offset' in state ? state.offset : '',
      size,
      since: run.since && ms ? formatDate(run.since, ms.format) : '',
      username: options.username ?? '',
      password: pw ?? '',
    };
    const answer = await http.send({ method: 'POST', url: options.url, headers, body: envelopeOf(options.soapVersion, fillTemplate(options.body, values, xmlEscape)), signal: ctx.signal });
    const body = soapBody(parseXmlSafely(answer.text, `soap-xml ${where}`), `soap-xml ${where}`);
    const found = getPath(body, options.recordsPath);
    const items = (found === undefined || found === '' ? [] : Array.isArray(found) ? found : [found]).map((r) => arraysOf(r, options.arrays));
    const records = toRawRecords(items, keyPath, where);
    if (ms?.field) {
      for (const r of records) {
        const v = r.raw && typeof r.raw === 'object' ? getPath(r.raw, ms.field) : undefined;
        const t = typeof v === 'string' && v ? parseDate(v, ms.fieldFormat) : null;
        if (!t?.ok) continue;
        // The record's modification time: an older version never overwrites a newer one in the ledger.
        r.modifiedAt = t.value;
        if (maxSeen === null || t.value > maxSeen) maxSeen = t.value;
      }
    }
    const total = options.totalPath ? Number(getPath(body, options.totalPath)) : NaN;
    const current = state;
    const read = 'page' in state && options.paging.type === 'page' ? (state.page - options.paging.firstPage + 1) * size : 'offset' in state ? state.offset + items.length : 0;
    const done = options.paging.type === 'none' || items.length < size || items.length === 0 || (Number.isFinite(total) && read >= total);
    state = done ? { done: true } : 'page' in state ? { page: state.page + 1 } : 'offset' in state ? { offset: state.offset + items.length } : { done: true };
    const pageSize = Math.max(1, ctx.pageSize);
    let from = skip;
    skip = 0;
    do {
      const slice = records.slice(from, from + pageSize);
      from += slice.length;
      if (from < records.length) yield { records: slice, cursor: { watermark, run: { ...run, next: current, maxSeen, skip: from } } };
      else if ('done' in state) {
        yield { records: slice, cursor: { watermark: ms ? (ms.field ? (maxSeen ?? watermark) : run.startedAt) : null } };
        return;
      } else yield { records: slice, cursor: { watermark, run: { ...run, next: state, maxSeen } } };
    } while (from < records.length);
  }
  yield { records: [], cursor: { watermark } };
}
