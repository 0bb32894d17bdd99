/**
 * The compiled CLI (`npm run build` → dist/): built here into a temporary folder inside the project,
 * it answers like the sources, and `<command> --help` loads none of the heavy modules (PGlite,
 * drizzle, exceljs, hono, the database drivers): a module-load hook records every module loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.ts';
import { cli } from '../support/cli.ts';

const HEAVY = ['@electric-sql/pglite', 'drizzle-orm', 'exceljs', 'hono', '@hono/node-server', 'postgres', 'mysql2', 'pino'];
let out: string;
let bin: string;

beforeAll(async () => {
  await mkdir(resolve('test-artifacts'), { recursive: true });
  out = await mkdtemp(resolve('test-artifacts/build-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--out', out], { encoding: 'utf8', timeout: 110_000 });
  expect(built.status, built.stdout + built.stderr).toBe(0);
  bin = join(out, 'src/cli/bin.mjs');
  await writeFile(join(out, 'hooks.mjs'), "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.LT_LOADED, url + '\\n'); return next(url, context); }\n");
  await writeFile(join(out, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
}, 120_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

function runBuilt(...args: string[]) {
  const loaded = join(out, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', join(out, 'register.mjs'), bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '', LT_LOADED: loaded } }); // the config's PGlite folder, also in the PostgreSQL run
  return { code: r.status, out: r.stdout.replace(/\n$/, ''), err: r.stderr.replace(/\n$/, ''), loaded: () => readFile(loaded, 'utf8') };
}

const heavyIn = (urls: string) => HEAVY.filter((pkg) => urls.includes(`/node_modules/${pkg}/`));

it('prints the same --help and due date as the sources, from compiled JavaScript only', async () => {
  for (const args of [['--help'], ['deadline', '--received', '2026-02-13T10:00', '--working-days', '3'], ['deadline', '--received', '2026-02-13T10:00', '--working-hours', '5', '--json']]) {
    const built = runBuilt(...args);
    const source = await cli(...args);
    expect({ code: built.code, out: built.out }, args.join(' ')).toEqual({ code: source.code, out: source.out });
    const urls = await built.loaded();
    expect(urls).toContain(`${out}/src/cli/main.js`);
    expect(urls).not.toMatch(/\.ts\n/);
    expect(urls).not.toContain('/node_modules/tsx/');
  }
});

it('answers every command --help like the command module, without loading heavy modules', async () => {
  for (const name of Object.keys(COMMANDS)) {
    const built = runBuilt(name, '--help');
    const source = await cli(name, '--help');
    expect({ code: built.code, out: built.out }, name).toEqual({ code: source.code, out: source.out });
    expect(heavyIn(await built.loaded()), name).toEqual([]);
  }
});

it('a real command from the build finds its PGlite worker and migrations', async () => {
  const config = join(out, 'lienthong.config.json');
  await writeFile(config, JSON.stringify({ database: `pglite:${join(out, 'db')}`, sources: [], targets: [] }));
  const built = runBuilt('apikey', 'list', '--config', config, '--json');
  expect(built.code, built.err).toBe(0);
  expect(JSON.parse(built.out)).toEqual([]);
  expect(heavyIn(await built.loaded())).toContain('@electric-sql/pglite');
});
