export {
  defineAdapter,
  type AdapterDefinition,
  type KeyRange,
  type MapContext,
  type MapOutcome,
  type Page,
  type PullContext,
  type RangeChecksum,
  type RawRecord,
  type SourceKey,
} from './adapter.ts';
export { redactOptions, redactText, redactUrl, secretValues } from './redact.ts';
export { resolveSecrets } from './secrets.ts';
export { splitFields, detectDelimiter } from './csv.ts';
export * from './mapping/index.ts';
/** zod, re-exported so that an adapter folder outside the project (a scaffold under test) resolves it. */
export { z } from 'zod';
export { parseDate, formatDate, isoDayToVn, addDays, localDateOf, VN_OFFSET_MS, type DateParse } from './dates.ts';
