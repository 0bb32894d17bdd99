/**
 * A raw record of `_template` → canonical dossier, by its declared mapping (../mapping.ts) and the
 * source's code tables. Pure; every issue names the raw field it came from.
 */
import { compileMapping, type MapOutcome } from '../../../src/sdk/index.ts';
import type { Options } from '../config.ts';
import { mapping } from '../mapping.ts';

const compiled = compileMapping(mapping);

/** The raw paths the mapping reads (`adapter check` lists the other fields as unmapped). */
export const MAPPED_PATHS: readonly string[] = compiled.sourcePaths;

/** Without options (a bare sample), the mapping's own tables apply. */
export function toDossier(raw: unknown, options: Options | undefined): MapOutcome {
  return compiled.map(raw, options?.tables);
}
