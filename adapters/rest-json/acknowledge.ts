/**
 * The optional acknowledge step of `rest-json` (iGate's `xacnhantrangthainhan`): after a page is
 * durably stored, one call per stored record tells the source it arrived. `{id}` (the raw value at
 * `acknowledge.idPath`) and `{code}` (the record key, MaHoSo) are filled in the path, the query and
 * every string of the body template. A failed call is returned, never thrown: the pipeline warns,
 * the source sends the record again, and a later run acknowledges it.
 */
import type { AcknowledgeOutcome, PullContext, RawRecord } from '../../src/sdk/adapter.ts';
import { getPath } from '../../src/sdk/mapping/paths.ts';
import { publicMessage } from '../../src/sdk/index.ts';
import { fillTemplate, plainPath, type RestClient } from './client.ts';
import type { RestJsonOptions } from './config.ts';

type AckOptions = NonNullable<RestJsonOptions['acknowledge']>;

/** The JSON body for one record: strings filled; a string that is exactly `{id}` or `{code}` takes the value itself. */
export function fillBody(template: unknown, values: { id: unknown; code: string }): unknown {
  if (typeof template === 'string') {
    if (template === '{id}') return values.id ?? null;
    if (template === '{code}') return values.code;
    return fillTemplate(template, { id: values.id === undefined || values.id === null ? '' : String(values.id), code: values.code }, (v) => v);
  }
  if (Array.isArray(template)) return template.map((t) => fillBody(t, values));
  if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillBody(v, values)]));
  return template;
}

/** The record's id at `idPath`: a non-empty string or a finite number, or undefined. */
export function idOf(record: RawRecord, idPath: string): string | number | undefined {
  const v = record.raw && typeof record.raw === 'object' ? getPath(record.raw, plainPath(idPath)) : undefined;
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return undefined;
}

export async function acknowledgeRecords(client: RestClient, ack: AckOptions, records: readonly RawRecord[], ctx: PullContext): Promise<AcknowledgeOutcome> {
  const usesId = JSON.stringify([ack.path, ack.query, ack.body ?? null]).includes('{id}');
  const out: AcknowledgeOutcome = { acknowledged: 0, failed: [] };
  for (const record of records) {
    const code = record.key ?? record.location;
    const id = idOf(record, ack.idPath);
    if (usesId && id === undefined) {
      out.failed.push({ key: code, message: `the record has no id at "${ack.idPath}" (acknowledge.idPath)` });
      continue;
    }
    const values = { id: id ?? '', code };
    const enc = (v: string) => encodeURIComponent(v);
    try {
      await client.call({
        method: ack.method,
        url: fillTemplate(ack.path, values, enc),
        query: Object.fromEntries(Object.entries(ack.query).map(([k, v]) => [k, fillTemplate(v, values, (x) => x)])),
        headers: { accept: 'application/json', ...(ack.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(ack.body === undefined ? {} : { body: JSON.stringify(fillBody(ack.body, { id, code })) }),
        signal: ctx.signal,
      });
      out.acknowledged++;
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      out.failed.push({ key: code, message: publicMessage(e) });
    }
  }
  return out;
}
