/**
 * `lienthong adapter new <id> --from-sample FILE`: copies the template folder (`adapters/_template`,
 * the reference shape: `index.ts`, `config.ts`, `raw.ts`, `mappers/to-dossier.ts`, `README.md`,
 * `conformance.test.ts`) to `adapters/<id>/`, writes `mapping.ts` guessed from the sample (names and
 * value shapes) and the sample as `fixtures/`, leaves `golden/` empty (the conformance test fails
 * until a person has reviewed its output), and registers the adapter in `index.ts`.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
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
/** The folder `adapter new` copies (the sources' one, also when run compiled from `dist/`). */
export const TEMPLATE_DIR = sourcePathOf(new URL('../../adapters/_template/', import.meta.url));
/** Written by the scaffold from the sample, not copied: the template's own sample, golden and mapping. */
const NOT_COPIED = new Set(['fixtures', 'golden', 'mapping.ts']);
/** Required fields with a value most systems never send, guessed until reviewed. */
const DEFAULTS: Record<string, FieldRule> = { LoaiDoiTuong: { const: '1' }, HinhThuc: { const: '0' } };

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const importPath = (fromDir: string, file: string) => {
  const p = relative(fromDir, file).split('\\').join('/');
  return p.startsWith('.') ? p : `./${p}`;
};

/** The template's files to copy, as paths relative to it (`/`-separated), in name order. */
async function templateFiles(dir = TEMPLATE_DIR, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!prefix && NOT_COPIED.has(d.name)) continue;
    if (d.isDirectory()) out.push(...(await templateFiles(join(dir, d.name), `${prefix}${d.name}/`)));
    else out.push(`${prefix}${d.name}`);
  }
  return out;
}

/**
 * One template file for adapter `id` landing at `dest`: its imports of the project's sources
 * (`../../src/…`) re-pointed from where it lands, its name and the sample's record count put in.
 */
function fromTemplate(text: string, file: string, dest: string, subst: { id: string; records: number; sample: string }): string {
  const out = text
    .replace(/(from |import\()'((?:\.\.\/)+)(src|schemas)\/([^']+)'/g, (_, lead: string, up: string, part: string, rest: string) => {
      const target = resolve(dirname(join(TEMPLATE_DIR, file)), `${up}${part}/${rest}`);
      return `${lead}'${importPath(dirname(dest), target)}'`;
    })
    .replaceAll("'_template'", `'${subst.id}'`)
    .replaceAll('`_template`', `\`${subst.id}\``)
    .replaceAll('<id>', subst.id);
  if (file === 'conformance.test.ts') return out.replace(/expectRecords: \d+/, `expectRecords: ${subst.records}`);
  if (file === 'README.md') return out.replace(/^Sample: .*$/m, `Scaffolded from \`${subst.sample}\` (${subst.records} records) by \`lienthong adapter new\`.`);
  return out;
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
  const sampleName = basename(opts.sample);
  const written: string[] = [];
  for (const file of await templateFiles()) {
    const dest = join(dir, file);
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, fromTemplate(await readFile(join(TEMPLATE_DIR, file), 'utf8'), file, dest, { id: opts.id, records: records.length, sample: sampleName }));
    written.push(file);
  }
  await writeFile(join(dir, 'mapping.ts'), mappingTemplate(opts.id, importPath(dir, SDK), sampleName, body, guess.unmatched, toMap, defaulted));
  await copyFile(opts.sample, join(dir, 'fixtures', `sample${ext}`));
  const registered = await register(opts.root, opts.id);
  return { dir, files: [...written, 'mapping.ts', `fixtures/sample${ext}`], registered, records: records.length, unmatched: guess.unmatched, statusesToMap: toMap };
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
