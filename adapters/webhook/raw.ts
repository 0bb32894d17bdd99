/**
 * Pushed bodies as local systems send them: one record object, an array of records, the portal's
 * own envelope `{ session, madonvi, service, data: [...] }`, or records at a declared path.
 */
import { z } from 'zod';
import { ValidationError } from '../../src/sdk/index.ts';
import type { RawRecord } from '../../src/sdk/index.ts';
import { getPath } from '../../src/sdk/mapping/index.ts';
import { keyPathOf, plainPath, toRawRecords } from '../../src/sdk/index.ts';
import type { WebhookOptions } from './config.ts';

/** The portal-style envelope some systems reuse for pushes. */
export const WebhookEnvelopeSchema = z.looseObject({ data: z.array(z.unknown()) });

/**
 * Splits a pushed body into raw records (each keyed by its MaHoSo when it has one). A body that
 * holds no records is a ValidationError naming where they were expected.
 *
 * @example
 * splitPushedBody([{ MaHoSo: 'A' }, { MaHoSo: 'B' }], options, 'push r1'); // two RawRecords, keys 'A' and 'B'
 */
export function splitPushedBody(body: unknown, options: WebhookOptions, location: string): RawRecord[] {
  let items: unknown;
  if (options.recordsPath) {
    items = getPath(body, plainPath(options.recordsPath));
    if (items === undefined) throw new ValidationError('invalid push', [{ path: plainPath(options.recordsPath), message: 'the body has no records here' }]);
  } else {
    const envelope = WebhookEnvelopeSchema.safeParse(body);
    items = envelope.success ? envelope.data.data : body;
  }
  const list = Array.isArray(items) ? items : [items];
  if (list.length > options.maxRecords) throw new ValidationError('invalid push', [{ path: '', message: `${list.length} records in one push, more than ${options.maxRecords}: send fewer per push` }]);
  return toRawRecords(list, keyPathOf(options), location);
}
