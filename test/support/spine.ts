/**
 * A whole spine for a test: export files of generated dossiers, the portal simulator on loopback,
 * a config pointing at both, and a fresh ledger (PGlite, or PostgreSQL with DATABASE_URL).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import type { PortalDossier, PortalDossierWithProgress } from '../../schemas/portal.ts';
import { parseConfig } from '../../src/config.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { startPortalSim, type PortalSim, type SimDialect, type SimFaults } from '../../src/portal-sim/index.ts';
import { openTestLedger, type TestLedger } from './ledger.ts';

export interface Spine {
  dir: string;
  exportsDir: string;
  sim: PortalSim;
  ledger: TestLedger;
  config: Config;
  env: Record<string, string>;
  records: PortalDossierWithProgress[];
  writeExport(name: string, records: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export interface SpineOptions {
  count?: number;
  seed?: number;
  faults?: SimFaults;
  target?: Record<string, unknown>;
  simUnitCode?: string;
  deadlineMs?: number;
  /** Simulator dialects and dossiers it holds from the start (src/portal-sim/dialects.ts). */
  dialect?: SimDialect[];
  preload?: PortalDossier[];
}

export const SIM_PASSWORD = 'test-secret';

export async function startSpine(opts: SpineOptions = {}): Promise<Spine> {
  const dir = await mkdtemp(join(tmpdir(), 'lt-spine-'));
  const exportsDir = join(dir, 'exports');
  await import('node:fs/promises').then((fs) => fs.mkdir(exportsDir));
  const sim = await startPortalSim({ port: 0, seed: 42, faults: opts.faults ?? {}, username: 'lienthong', password: SIM_PASSWORD, ...(opts.simUnitCode ? { unitCode: opts.simUnitCode } : {}), ...(opts.dialect ? { dialect: opts.dialect } : {}), ...(opts.preload ? { preload: opts.preload } : {}) });
  const ledger = await openTestLedger();
  const records = [...generateDossiers({ count: opts.count ?? 20, seed: opts.seed ?? 17 })];
  const writeExport = (name: string, recs: unknown[]) => writeFile(join(exportsDir, name), recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await writeExport('0001.ndjson', records);
  const config = parseConfig({
    database: 'pglite:memory',
    sources: [{ id: 'local', adapter: 'dvcqg-file', options: { path: exportsDir }, pageSize: 50 }],
    targets: [
      {
        id: 'national',
        style: 'session',
        baseUrl: sim.url,
        unitCode: '000.00.00.H48',
        // A session target logs in; a bare-array one has no login (unknown keys are refused).
        ...(opts.target?.['style'] === 'bare-array' ? {} : { username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD' }),
        concurrency: 4,
        ratePerSecond: 1000,
        timeoutMs: 3000,
        retry: { maxAttempts: 6, minDelayMs: 20, maxDelayMs: 200 },
        ...opts.target,
      },
    ],
    sync: { deadlineMs: opts.deadlineMs ?? 60_000, leaseMs: 10_000 },
  });
  return {
    dir,
    exportsDir,
    sim,
    ledger,
    config,
    env: { NATIONAL_PASSWORD: SIM_PASSWORD },
    records,
    writeExport,
    async close() {
      await sim.close();
      await ledger.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
