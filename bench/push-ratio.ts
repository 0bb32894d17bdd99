/**
 * Push against the bare minimum (issue #13 goal 1): N dossiers with their progress are ingested,
 * then pushed by the gateway (outbox, acknowledgements, receipts) to the portal simulator answering
 * in `--latency` ms; then the same HTTP calls (same client, same wire records, same concurrency) are
 * sent by a bare loop that records nothing. Prints both times side by side and their ratio, per database.
 *   npm run bench -- push-ratio [--n 5000] [--latency 5] [--concurrency 4] [--db pglite|postgres|both]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { TargetConfig } from '../schemas/config.ts';
import type { PortalDossier, PortalProgress } from '../schemas/portal.ts';
import { parseConfig } from '../src/config.ts';
import type { Dossier } from '../schemas/dossier.ts';
import { prepareWire } from '../src/dossier/wire-policy.ts';
import { openLedger } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { createPortalClient } from '../src/portal/index.ts';
import { startPortalSim } from '../src/portal-sim/index.ts';
import { databaseKinds, openBenchDatabase, writeExports } from './common.ts';

/** The wire calls of one dossier: its record, then its progress in chunks. */
interface WireCalls {
  wire: PortalDossier;
  chunks: PortalProgress[][];
}

/** Sends every dossier's calls with `concurrency` loops, nothing recorded; returns seconds and calls made. */
export async function bareLoop(target: TargetConfig, env: Record<string, string>, work: WireCalls[], concurrency: number): Promise<{ seconds: number; calls: number }> {
  const client = createPortalClient(target, { env });
  let next = 0;
  let calls = 0;
  const t = performance.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < work.length; i = next++) {
          const w = work[i]!;
          await client.pushDossier(w.wire, false);
          calls++;
          for (const chunk of w.chunks) {
            await client.pushProgress(chunk);
            calls++;
          }
        }
      }),
    );
    return { seconds: (performance.now() - t) / 1000, calls };
  } finally {
    await client.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '5000' }, latency: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '4' }, db: { type: 'string' } } });
  const n = Number(values.n);
  const latencyMs = Number(values.latency);
  const concurrency = Number(values.concurrency);
  const kinds = databaseKinds(values.db);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-ratio-'));
  console.log(`lienthong bench push-ratio: ${n} dossiers + progress, portal latency ${latencyMs} ms, concurrency ${concurrency}`);
  console.log('database     gateway s  bare loop s  ratio  gateway calls  bare calls');
  try {
    const exportsDir = await writeExports(dir, { count: n, seed: 1, spanDays: 180 });
    for (const kind of kinds) {
      const db = await openBenchDatabase(kind, dir, 'ratio');
      const sim = await startPortalSim({ port: 0, faults: { latencyMs }, username: 'lienthong', password: 'bench' });
      try {
        const config = parseConfig({
          database: db.url,
          sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: exportsDir }, pageSize: 1000 }],
          targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'BENCH_PASSWORD', concurrency, maxConcurrency: concurrency, ratePerSecond: 1_000_000, timeoutMs: 30_000 }],
          sync: { deadlineMs: 3_600_000, leaseMs: 600_000 },
        });
        const target = config.targets[0]!;
        const env = { BENCH_PASSWORD: 'bench' };
        const ledger = await openLedger(db.url);
        let work: WireCalls[];
        let gateway: { seconds: number; calls: number };
        try {
          await runSync(ledger, config, { env, push: false });
          const t = performance.now();
          const push = await runSync(ledger, config, { env, pull: false });
          gateway = { seconds: (performance.now() - t) / 1000, calls: sim.stats().total };
          if (push.targets[0]?.delivered !== n) console.warn(`  (gateway delivered ${push.targets[0]?.delivered} of ${n})`);
          // The same wire records, prepared outside the timing, in the order the outbox claims them.
          const rows = await ledger.rows<{ canonical: unknown }>(sql`select d.canonical from deliveries q join dossiers d on d.id = q.dossier_id order by q.id`);
          const policy = { limits: target.limits, overLength: target.overLength, codePrefix: target.codePrefix, padProgress: target.padProgress, unitCode: target.unitCode };
          work = rows.map((r) => {
            const p = prepareWire((typeof r.canonical === 'string' ? JSON.parse(r.canonical) : r.canonical) as Dossier, policy);
            const chunks: PortalProgress[][] = [];
            for (let i = 0; i < p.progress.length; i += target.progressChunk) chunks.push(p.progress.slice(i, i + target.progressChunk));
            return { wire: p.wire, chunks };
          });
        } finally {
          await ledger.close();
        }
        // A fresh portal (forgets dossiers and sessions): the bare loop logs in and inserts like the gateway did.
        sim.reset();
        const bare = await bareLoop(target, env, work, concurrency);
        bare.calls = sim.stats().total;
        console.log(
          `${kind.padEnd(11)}  ${gateway.seconds.toFixed(2).padStart(9)}  ${bare.seconds.toFixed(2).padStart(11)}  ${(gateway.seconds / bare.seconds).toFixed(2).padStart(4)}×  ${String(gateway.calls).padStart(13)}  ${String(bare.calls).padStart(10)}`,
        );
      } finally {
        await sim.close();
        await db.drop();
      }
    }
    console.log('goal (issue #13): gateway within 1.3× of the bare loop on both databases');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
