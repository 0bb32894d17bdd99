export { compileMapping, type CompiledMapping, type MappingHooks } from './compile.ts';
export { toPortalDate, guessDateFormat, COMMON_DATE_FORMATS } from '../dates.ts';
export { DOSSIER_FIELDS, DATE_FIELDS, REQUIRED_FIELDS, SUB_STATUS_NAMES, fieldKey, matchField, type FieldInfo } from './fields.ts';
export { guessMapping, type GuessedMapping } from './guess.ts';
export { getPath, splitPath, joinPath, leafPaths } from './paths.ts';
export {
  MappingSpecSchema,
  FieldRuleSchema,
  CodeTablesSchema,
  LIST_FIELDS,
  type MappingSpec,
  type MappingSpecInput,
  type FieldRule,
  type CodeTables,
  type CodeTablesInput,
} from './spec.ts';
