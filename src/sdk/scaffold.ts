/**
 * `lienthong adapter new <id> --from-sample FILE`: writes `adapters/<id>/` with a config schema, a
 * mapping guessed from the sample (names and value shapes), the sample as fixtures, a golden test
 * that fails until a person has reviewed the output, a README, and registers it in `index.ts`.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { sourcePathOf } from './source-path.ts';
import { STATUS_LABELS_VI } from '../../schemas/dossier.ts';
import { ConfigError } from '../errors.ts';
import { fieldKey, guessMapping, REQUIRED_FIELDS, type FieldRule } from './mapping/index.ts';
import { readSampleRecords } from './samples.ts';

export interface ScaffoldResult {
  dir: string;
  files: string[];
  registered: boolean;
  records: number;
  unmatched: string[];
  statusesToMap: string[];
}

const SDK = sourcePathOf(new URL('./index.ts', import.meta.url));
const SUITE = sourcePathOf(new URL('./conformance/suite.ts', import.meta.url));
/** Required fields with a value most systems never send, guessed until reviewed. */
const DEFAULTS: Record<string, FieldRule> = { LoaiDoiTuong: { const: '1' }, HinhThuc: { const: '0' } };

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const importPath = (fromDir: string, file: string) => {
  const p = relative(fromDir, file).split('\\').join('/');
  return p.startsWith('.') ? p : `./${p}`;
};

/** The `index.ts` of a scaffolded adapter: reads sample-shaped files from `options.path`. */
function indexTemplate(id: string, sdk: string, ext: string): string {
  return `/**
 * \`${id}\`: scaffolded by \`lienthong adapter new\`. Its pull reads files shaped like the sample
 * (\`*${ext}\`) from \`options.path\`; replace it with the local system's transport when it has one
 * (HTTP: \`createHttpClient\` in src/sdk/http.ts; see docs/adapters.md). The mapping is ./mapping.ts.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CodeTablesSchema, compileMapping, defineAdapter, z } from '${sdk}';
import { readSampleRecords } from '${sdk.replace(/index\.ts$/, 'samples.ts')}';
import { mapping } from './mapping.ts';

export const OptionsSchema = z.strictObject({
  /** A sample-shaped file, or a folder of them (read in name order). */
  path: z.string().min(1),
  /** This source's code tables (status + sub-status, procedure, unit). */
  tables: CodeTablesSchema.partial().optional(),
});
export type Options = z.infer<typeof OptionsSchema>;
export interface Cursor {
  done: string[];
  current?: { file: string; offset: number };
}

const compiled = compileMapping(mapping);

export const adapter = defineAdapter<Options, Cursor>({
  id: '${id}',
  version: '0.1.0',
  configSchema: OptionsSchema,
  async *pull(options, cursor, ctx) {
    const isDir = (await stat(options.path)).isDirectory();
    const files = isDir ? (await readdir(options.path)).filter((n) => n.toLowerCase().endsWith('${ext}')).sort().map((n) => join(options.path, n)) : [options.path];
    const done = [...(cursor?.done ?? [])];
    for (const file of files) {
      const name = basename(file);
      if (done.includes(name)) continue;
      const records = await readSampleRecords(file);
      const from = cursor?.current?.file === name ? cursor.current.offset : 0;
      for (let i = from; i < records.length; i += ctx.pageSize) {
        const end = Math.min(records.length, i + ctx.pageSize);
        yield { records: records.slice(i, end), cursor: end < records.length ? { done: [...done], current: { file: name, offset: end } } : { done: [...done, name] } };
      }
      done.push(name);
    }
  },
  map: (raw, ctx) => compiled.map(raw, ctx.options?.tables),
  mappedPaths: () => compiled.sourcePaths,
});

export default adapter;
`;
}

function mappingTemplate(id: string, sdk: string, sample: string, body: unknown, unmatched: string[], statuses: string[], defaulted: string[]): string {
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `//   ${x}`).join('\n') : '//   (none)');
  return `/**
 * The mapping of \`${id}\`, guessed from ${sample} by \`lienthong adapter new\`. Review every line
 * (docs/adapters.md), then: \`npx lienthong adapter check ${id}\` and review golden/.
 */
import type { MappingSpecInput } from '${sdk}';

// Raw fields the guess left unmapped (map them or leave them):
${list(unmatched)}
// Local statuses seen without a national code (add them to tables.status, 1–10):
${list(statuses)}
// Required fields set to a guessed constant (confirm): ${defaulted.join(', ') || '(none)'}
export const mapping: MappingSpecInput = ${JSON.stringify(body, null, 2)};
`;
}

/**
 * Scaffolds `<root>/<id>/` from a sample and registers it in `<root>/index.ts` when there is one.
 *
 * @example
 * await scaffoldAdapter({ id: 'my-vendor', sample: './sample.json', root: 'adapters' });
 */
export async function scaffoldAdapter(opts: { id: string; sample: string; root: string }): Promise<ScaffoldResult> {
  if (!/^[a-z][a-z0-9-]*$/.test(opts.id)) throw new ConfigError(`adapter id "${opts.id}": lower-case letters, digits and -`);
  const dir = join(opts.root, opts.id);
  if (existsSync(dir)) throw new ConfigError(`${dir} already exists`);
  const records = await readSampleRecords(opts.sample);
  if (!records.length) throw new ConfigError(`${opts.sample}: no record found`);
  const guess = guessMapping(records.map((r) => r.raw));
  const fields = { ...guess.mapping.fields };
  const defaulted = REQUIRED_FIELDS.filter((f) => !(f in fields) && f in DEFAULTS);
  for (const f of defaulted) fields[f] = DEFAULTS[f] as FieldRule;
  // Status values that are the portal's own Vietnamese labels map by themselves.
  const status: Record<string, number> = {};
  const labels = Object.entries(STATUS_LABELS_VI).map(([code, label]) => [fieldKey(label), Number(code)] as const);
  const toMap = guess.statuses.filter((s) => {
    if (/^(10|[1-9])$/.test(s)) return false;
    const hit = labels.find(([k]) => k === fieldKey(s));
    if (hit) status[s] = hit[1];
    return !hit;
  });
  const body = { fields, ...(guess.dateFormats.length ? { dateFormat: guess.dateFormats } : {}), ...(Object.keys(status).length ? { tables: { status } } : {}) };
  const ext = extname(opts.sample).toLowerCase();
  await mkdir(join(dir, 'fixtures'), { recursive: true });
  await mkdir(join(dir, 'golden'), { recursive: true });
  const sdk = importPath(dir, SDK);
  const sampleName = basename(opts.sample);
  const files: Record<string, string> = {
    'index.ts': indexTemplate(opts.id, sdk, ext),
    'mapping.ts': mappingTemplate(opts.id, sdk, sampleName, body, guess.unmatched, toMap, defaulted),
    'conformance.test.ts': `/** The shared conformance suite over the sample; fails until golden/sample.json is reviewed. */
import { fileURLToPath } from 'node:url';
import { describeConformance } from '${importPath(dir, SUITE)}';
import { adapter } from './index.ts';

describeConformance({
  adapter,
  options: { path: fileURLToPath(new URL('./fixtures', import.meta.url)) },
  golden: fileURLToPath(new URL('./golden/sample.json', import.meta.url)),
  expectRecords: ${records.length},
  pageSize: 1,
  http: false,
});
`,
    'README.md': `# \`${opts.id}\`\n\nScaffolded from \`${sampleName}\` (${records.length} records) by \`lienthong adapter new\`.\n\n- Options: \`{ "path": "<file or folder of ${ext} files>", "tables": { "status": {…} } }\`\n- Review \`mapping.ts\`, run \`npx lienthong adapter check ${opts.id}\`, review \`golden/sample.json\` and set \`"reviewed": true\`.\n- Describe here the local system, its versions, its status table and its quirks.\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  await copyFile(opts.sample, join(dir, 'fixtures', `sample${ext}`));
  const registered = await register(opts.root, opts.id);
  return { dir, files: [...Object.keys(files), `fixtures/sample${ext}`], registered, records: records.length, unmatched: guess.unmatched, statusesToMap: toMap };
}

/** Adds the import and the registry line to `<root>/index.ts`; false when there is no registry. */
async function register(root: string, id: string): Promise<boolean> {
  const file = join(root, 'index.ts');
  if (!existsSync(file)) return false;
  const lines = (await readFile(file, 'utf8')).split('\n');
  const name = `${camel(id)}Adapter`;
  const lastImport = lines.reduce((at, l, i) => (/^import .* from '\.\/[^']+\/index\.ts';$/.test(l) ? i : at), -1);
  const close = lines.findIndex((l, i) => i > lastImport && l.startsWith('};'));
  if (lastImport < 0 || close < 0) return false;
  lines.splice(close, 0, `  [${name}.id]: ${name},`);
  lines.splice(lastImport + 1, 0, `import { adapter as ${name} } from './${id}/index.ts';`);
  await writeFile(file, lines.join('\n'));
  return true;
}
