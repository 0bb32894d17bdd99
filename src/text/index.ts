export { decodeBytes, detectEncoding, encodeLegacy, type LegacyEncoding } from './decode.ts';
export { repairText, repairDeep, MAX_REPAIR_DEPTH, type RepairIssue, type RepairResult, type RepairWarning } from './repair.ts';
export { isVietnameseSyllable } from './syllable.ts';
