/**
 * `_template`: an adapter folder in the reference shape (scaffolded by `lienthong adapter new`).
 * `config.ts` declares the options, `raw.ts` reads the local system (here: sample-shaped files from
 * `options.path`), `mapping.ts` + `mappers/to-dossier.ts` turn a raw record into a dossier;
 * `fixtures/` and `golden/` feed `conformance.test.ts`. Register it with one line in adapters/index.ts.
 */
import { defineAdapter } from '../../src/sdk/index.ts';
import { OptionsSchema } from './config.ts';
import { MAPPED_PATHS, toDossier } from './mappers/to-dossier.ts';
import { pullFiles } from './raw.ts';

export const adapter = defineAdapter({
  id: '_template',
  version: '0.1.0',
  configSchema: OptionsSchema,
  pull: pullFiles,
  map: (raw, ctx) => toDossier(raw, ctx.options),
  mappedPaths: () => MAPPED_PATHS,
});

export default adapter;
