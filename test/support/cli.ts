import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { createPostgresDatabase } from './ledger.ts';

/** Runs `lienthong …` in-process and captures what it prints. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Where a CLI test runs: a temporary folder, a database, and the portal simulator when asked for. */
export interface CliWorkspace {
  /** A new temporary folder (the config file, exports, the PGlite database). */
  dir: string;
  /** A new PostgreSQL database when DATABASE_URL names a server (DATABASE_URL then points at it); null on PGlite. */
  pg: Awaited<ReturnType<typeof createPostgresDatabase>>;
  sim: PortalSim | undefined;
  /** Puts back every environment variable the workspace or its test set, closes the simulator, drops the database, removes the folder. */
  close(): Promise<void>;
}

/** Variables CLI tests set (here or in the test): put back as they were by `close`. */
const TOUCHED = ['DATABASE_URL', 'NATIONAL_PASSWORD', 'LIENTHONG_NOW'];

/**
 * Opens a {@link CliWorkspace}: `portalPassword` starts the portal simulator (user `lienthong`);
 * `env` is set for the test (NATIONAL_PASSWORD only when it says so).
 *
 * @example
 * beforeEach(async () => void ({ dir, sim, pg, close } = await openCliWorkspace('lt-cli-', { portalPassword: 'pw', env: { NATIONAL_PASSWORD: 'pw' } })));
 * afterEach(() => close());
 */
export async function openCliWorkspace(prefix: string, opts: { portalPassword: string; env?: Record<string, string> }): Promise<CliWorkspace & { sim: PortalSim }>;
export async function openCliWorkspace(prefix: string, opts?: { env?: Record<string, string> }): Promise<CliWorkspace>;
export async function openCliWorkspace(prefix: string, opts: { portalPassword?: string; env?: Record<string, string> } = {}): Promise<CliWorkspace> {
  const env = opts.env ?? {};
  const saved = new Map([...new Set([...TOUCHED, ...Object.keys(env)])].map((k) => [k, process.env[k]]));
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const sim = opts.portalPassword === undefined ? undefined : await startPortalSim({ port: 0, username: 'lienthong', password: opts.portalPassword });
  const pg = await createPostgresDatabase();
  if (pg) process.env['DATABASE_URL'] = pg.url;
  Object.assign(process.env, env);
  return {
    dir,
    pg,
    sim,
    async close() {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await sim?.close();
      await pg?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes `count` generated dossiers (from 2026-09-10, over 40 days) as `<dir>/exports/a.ndjson`, a
 * config with that folder as source `local` (dvcqg-file) and the `extra` keys, and runs
 * `sync --no-push --quiet` on it: a ledger to report on. The caller checks `sync.code`.
 */
export async function syncGeneratedExports(dir: string, opts: { count: number; seed: number; extra?: Record<string, unknown> }): Promise<{ config: string; sync: Awaited<ReturnType<typeof cli>> }> {
  await mkdir(join(dir, 'exports'));
  const records = [...generateDossiers({ count: opts.count, seed: opts.seed, start: '2026-09-10T01:00:00.000Z', spanDays: 40 })];
  await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const config = join(dir, 'lienthong.config.json');
  await writeFile(config, JSON.stringify({ database: `pglite:${join(dir, 'db')}`, sources: [{ id: 'local', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } }], ...opts.extra }));
  return { config, sync: await cli('sync', '--config', config, '--no-push', '--quiet') };
}
