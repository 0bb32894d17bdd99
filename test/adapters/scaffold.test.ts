/**
 * `adapter new --from-sample` then `adapter check`: a new vendor's sample (nested JSON, English and
 * unaccented Vietnamese names, local status codes) is scaffolded into a temporary adapters root,
 * fails the check until its guessed mapping is confirmed (status table), then passes.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/adapter.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
let root: string;
let sample: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lt-scaffold-'));
  await copyFile(fileURLToPath(new URL('../../adapters/index.ts', import.meta.url)), join(root, 'index.ts'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n'); // as in the project: ES modules
  sample = join(root, 'sample.json');
  const item = (i: number, status: string) => ({
    dossierNo: `000.00.20.H48-240310-000${i}`,
    procedure: { code: '1.001193', name: 'Đăng ký khai sinh' },
    agencyName: 'UBND xã Tân Lập',
    applicantName: `Người nộp ${i}`,
    subject: `Khai sinh cho con thứ ${i}`,
    receiveDate: `1${i}/03/2024 08:3${i}:00`,
    dueDate: `1${i}/03/2024 17:00`,
    status,
    internalFlag: 'x',
  });
  await writeFile(sample, JSON.stringify({ total: 3, data: { items: [item(1, 'PROCESSING'), item(2, 'DONE'), item(3, 'PROCESSING')] } }, null, 2));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const check = () => spawnSync(process.execPath, [BIN, 'adapter', 'check', 'my-vendor', '--root', root, '--json'], { encoding: 'utf8', timeout: 60_000 });

it('scaffolds an adapter from a sample, registers it, and passes adapter check once its mapping is confirmed', async () => {
  expect(await run(['new', 'my-vendor', '--from-sample', sample, '--root', root, '--json'])).toBe(0);
  const dir = join(root, 'my-vendor');
  for (const f of ['index.ts', 'mapping.ts', 'conformance.test.ts', 'README.md', 'fixtures/sample.json']) expect(existsSync(join(dir, f)), f).toBe(true);
  expect(existsSync(join(dir, 'golden', 'sample.json'))).toBe(false); // the golden test fails until reviewed
  expect(await readFile(join(root, 'index.ts'), 'utf8')).toMatch(/import \{ adapter as myVendorAdapter \} from '\.\/my-vendor\/index\.ts';[\s\S]*\[myVendorAdapter\.id\]: myVendorAdapter/);
  const mapping = await readFile(join(dir, 'mapping.ts'), 'utf8');
  expect(mapping).toContain('"MaHoSo": "dossierNo"');
  expect(mapping).toContain('"MaTTHC": {\n      "from": "procedure.code"');
  expect(mapping).toContain('"NgayTiepNhan": "receiveDate"');
  expect(mapping).toContain('"dd/MM/yyyy HH:mm:ss"');
  expect(mapping).toMatch(/statuses seen without a national code[^\n]*\n\/\/ {3}DONE\n\/\/ {3}PROCESSING/);
  expect(mapping).toMatch(/unmapped[^\n]*\n\/\/ {3}internalFlag/);

  const before = check();
  expect(before.status, before.stderr).toBe(2);
  const report = JSON.parse(before.stdout) as { invalid: number; unmappedStatuses: string[]; unmappedRawFields: string[] };
  expect(report).toMatchObject({ invalid: 3, unmappedStatuses: ['DONE', 'PROCESSING'], unmappedRawFields: ['internalFlag'] });

  // The vendor confirms the guess: the status table.
  await writeFile(join(dir, 'mapping.ts'), mapping.replace('"fields": {', '"tables": { "status": { "PROCESSING": 4, "DONE": 10 } },\n  "fields": {'));
  const after = check();
  expect(after.status, after.stdout + after.stderr).toBe(0);
  expect(JSON.parse(after.stdout)).toMatchObject({ records: 3, mapped: 3, invalid: 0, requiredUnfilled: [] });
});

it('copies the template folder: the reference shape, named after the new adapter, no cast in the registry line', async () => {
  const dir = join(root, 'my-vendor');
  for (const f of ['index.ts', 'config.ts', 'raw.ts', 'mapping.ts', 'mappers/to-dossier.ts', 'fixtures/sample.json', 'README.md', 'conformance.test.ts']) expect(existsSync(join(dir, f)), f).toBe(true);
  const template = fileURLToPath(new URL('../../adapters/_template/', import.meta.url));
  // The copied files are the template's, with the id put in (imports re-pointed from the temporary root).
  for (const f of ['config.ts', 'raw.ts', 'mappers/to-dossier.ts']) {
    const strip = (t: string) => t.replace(/'(\.\.\/|\.\/)[^']*(src|schemas)\/[^']+'/g, "'SRC'").replaceAll('_template', 'ID').replaceAll('my-vendor', 'ID');
    expect(strip(await readFile(join(dir, f), 'utf8')), f).toBe(strip(await readFile(join(template, f), 'utf8')));
  }
  const index = await readFile(join(dir, 'index.ts'), 'utf8');
  expect(index).toContain("id: 'my-vendor'");
  expect(index).not.toContain('_template');
  expect(await readFile(join(dir, 'README.md'), 'utf8')).toMatch(/^# `my-vendor`\n\nScaffolded from `sample\.json` \(3 records\) by `lienthong adapter new`\./);
  expect(await readFile(join(dir, 'conformance.test.ts'), 'utf8')).toContain('expectRecords: 3,');
  const registry = await readFile(join(root, 'index.ts'), 'utf8');
  expect(registry).toContain('  [myVendorAdapter.id]: myVendorAdapter,\n');
  expect(registry).not.toMatch(/myVendorAdapter as /);
});

it('scaffolds an adapter that type-checks and whose conformance test passes once its golden output is reviewed', { timeout: 300_000 }, async () => {
  await writeFile(
    join(root, 'tsconfig.json'),
    JSON.stringify({ extends: join(PROJECT, 'tsconfig.json'), compilerOptions: { typeRoots: [join(PROJECT, 'node_modules/@types')] }, include: ['my-vendor/**/*.ts'] }),
  );
  const tsc = spawnSync(process.execPath, [join(PROJECT, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { encoding: 'utf8', timeout: 240_000 });
  expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

  const vitest = () =>
    spawnSync(process.execPath, [join(PROJECT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', root, 'my-vendor/conformance.test.ts'], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: '1' } });
  const golden = join(root, 'my-vendor', 'golden', 'sample.json');
  const unreviewed = vitest();
  expect(unreviewed.status, unreviewed.stdout + unreviewed.stderr).toBe(1);
  const written = JSON.parse(await readFile(golden, 'utf8')) as { reviewed: boolean; records: { key: string; ok: boolean }[] };
  expect(written.reviewed).toBe(false);
  expect(written.records.map((r) => [r.key, r.ok])).toStrictEqual([1, 2, 3].map((i) => [`000.00.20.H48-240310-000${i}`, true]));
  await writeFile(golden, JSON.stringify({ ...written, reviewed: true }, null, 2));
  const reviewed = vitest();
  expect(reviewed.status, reviewed.stdout + reviewed.stderr).toBe(0);
  expect(stripVTControlCharacters(reviewed.stdout)).toMatch(/Tests\s+4 passed \(4\)/);
});
