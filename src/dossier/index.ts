export { parsePortalRecord, portalToDossier, mapProgress, normalizeText, zodIssues, formatPath, type MapResult } from './from-portal.ts';
export { dossierToPortal, progressToPortal } from './to-portal.ts';
export { portalDateToInstant, portalDateToInstantOrNull, instantToPortalDate, localDateOf, VN_OFFSET_MS } from './time.ts';
export { contentHash, dossierHash, stableStringify } from './hash.ts';
