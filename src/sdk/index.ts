export {
  defineAdapter,
  lookupAdapter,
  type AdapterDefinition,
  type AnyAdapter,
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
export { compiledOf, declaredOptionsOf, declaredToDossier, fillTemplate, jsonEscape, keyPathOf, plainPath, portalRecordToDossier, toRawRecords, type DeclaredMapOptions } from './declared.ts';
/** What adapters need of the rest of the gateway, so that an adapter imports the SDK and schemas/ only. */
export { ConfigError, GatewayError, UpstreamHttpError, UpstreamSchemaError, ValidationError, type ValidationIssue } from '../errors.ts';
export { contentHash, dossierHash, parsePortalRecord, zodIssues } from '../dossier/index.ts';
export { decodeBytes, detectEncoding, encodeLegacy, repairDeep, type LegacyEncoding } from '../text/index.ts';
export { vietnameseLetters } from '../text/letters.ts';
export { publicMessage } from '../privacy.ts';
