/**
 * The cost of evidence (issue #14 item 6): N dossiers pushed to the simulator, then the size of the
 * receipts (table, TOAST and indexes: pg_total_relation_size) and of the evidence tables, per
 * receipt and extrapolated to 1M dossiers, with the share taken by the evidence columns. The chain
 * has no switch, so its push-time cost is stated as the trigger's: the same rows batch-inserted into
 * `receipts` (trigger linking each row) and into a copy of it without the trigger (same indexes).
 *   npm run bench -- evidence [--n 2000] [--batch 500] [--rounds 5] [--db pglite|postgres|both]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { parseConfig } from '../src/config.ts';
import { openLedger, type Ledger } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { startPortalSim } from '../src/portal-sim/index.ts';
import { databaseKinds, openBenchDatabase, writeExports } from './common.ts';

const COLS = `delivery_id, dossier_id, target_id, run_id, attempt, service, is_updating, version, request_hash, http_status,
  error_code, message, outcome, duration_ms, created_at, dossier_code, sent_at, request_body, body_hash, content_hash,
  answer_body, answer_hash, answer_length, answer_kept_hash`;

const num = (v: unknown) => Number(v ?? 0);
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

async function sizes(ledger: Ledger): Promise<Record<string, number>> {
  const [r] = await ledger.rows<Record<string, unknown>>(sql`select
    (select count(*) from receipts)::float8 as receipts,
    (select count(*) from dossiers)::float8 as dossiers,
    pg_total_relation_size('receipts')::float8 as total,
    pg_relation_size('receipts')::float8 as heap,
    pg_indexes_size('receipts')::float8 as indexes,
    (pg_total_relation_size('evidence_heads') + pg_total_relation_size('evidence_checkpoints'))::float8 as evidence_tables,
    (select coalesce(sum(coalesce(pg_column_size(request_body), 0) + coalesce(pg_column_size(body_hash), 0) + coalesce(pg_column_size(content_hash), 0)
       + coalesce(pg_column_size(prev_hash), 0) + coalesce(pg_column_size(hash), 0) + coalesce(pg_column_size(seq), 0)
       + coalesce(pg_column_size(sent_at), 0) + coalesce(pg_column_size(dossier_code), 0)
       + coalesce(pg_column_size(answer_body), 0) + coalesce(pg_column_size(answer_hash), 0) + coalesce(pg_column_size(answer_length), 0)
       + coalesce(pg_column_size(answer_kept_hash), 0)), 0) from receipts)::float8 as evidence_columns,
    (select coalesce(sum(pg_column_size(request_body)), 0) from receipts)::float8 as bodies,
    (select coalesce(sum(coalesce(pg_column_size(answer_body), 0) + coalesce(pg_column_size(answer_hash), 0) + coalesce(pg_column_size(answer_length), 0)
       + coalesce(pg_column_size(answer_kept_hash), 0)), 0) from receipts)::float8 as answers`);
  return Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, num(v)]));
}

/** Milliseconds of `rounds` batch inserts of `batch` existing receipts into `table`. */
async function timeInserts(ledger: Ledger, table: string, batch: number, rounds: number): Promise<number> {
  let ms = 0;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await ledger.rows(sql.raw(`insert into ${table} (${COLS}) select ${COLS} from receipts where content_hash is not null and id in (select id from receipts order by id limit ${batch})`));
    ms += performance.now() - t;
  }
  return ms;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '2000' }, batch: { type: 'string', default: '500' }, rounds: { type: 'string', default: '5' }, db: { type: 'string' } } });
  const n = Number(values.n);
  const batch = Number(values.batch);
  const rounds = Number(values.rounds);
  const kinds = databaseKinds(values.db);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-evidence-'));
  console.log(`lienthong bench evidence: ${n} dossiers pushed (dossier + progress), then sizes; trigger cost over ${rounds} batches of ${batch} receipts`);
  try {
    const exportsDir = await writeExports(dir, { count: n, seed: 9, spanDays: 180 });
    for (const kind of kinds) {
      const db = await openBenchDatabase(kind, dir, 'evidence');
      const sim = await startPortalSim({ port: 0, username: 'lienthong', password: 'bench' });
      const ledger = await openLedger(db.url);
      try {
        const config = parseConfig({
          database: db.url,
          sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: exportsDir }, pageSize: 1000 }],
          targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'BENCH_PASSWORD', concurrency: 4, ratePerSecond: 1_000_000, timeoutMs: 30_000 }],
          sync: { deadlineMs: 3_600_000, leaseMs: 600_000 },
          evidence: { keyFile: join(dir, `key-${kind}.pem`) },
        });
        await runSync(ledger, config, { env: {}, push: false });
        const t = performance.now();
        await runSync(ledger, config, { env: { BENCH_PASSWORD: 'bench' }, pull: false });
        const pushS = (performance.now() - t) / 1000;
        await ledger.rows(sql`vacuum analyze receipts`).catch(() => undefined);
        const s = await sizes(ledger);
        const perReceipt = (s['total']! + s['evidence_tables']!) / s['receipts']!;
        const receiptsPerDossier = s['receipts']! / n;
        console.log(`${kind}: ${s['receipts']} receipts for ${n} dossiers (${receiptsPerDossier.toFixed(2)} a dossier), push ${pushS.toFixed(1)} s`);
        console.log(`  receipts ${kb(s['total']!)} (heap ${kb(s['heap']!)}, indexes ${kb(s['indexes']!)}, TOAST and maps ${kb(s['total']! - s['heap']! - s['indexes']!)}), evidence tables ${kb(s['evidence_tables']!)}`);
        console.log(`  ${perReceipt.toFixed(0)} bytes a receipt on disk (evidence columns ${(s['evidence_columns']! / s['receipts']!).toFixed(0)} B of it, of which the compressed request body ${(s['bodies']! / s['receipts']!).toFixed(0)} B, the kept answer with its hashes ${(s['answers']! / s['receipts']!).toFixed(0)} B)`);
        console.log(`  per 1M dossiers: ${gib(perReceipt * receiptsPerDossier * 1_000_000)} of receipts (${(receiptsPerDossier * 1_000_000 / 1e6).toFixed(2)}M receipts)`);
        // The chain trigger's cost: the same rows into receipts (linked by the trigger) and into a copy without it.
        await ledger.rows(sql`create table receipts_nochain (like receipts including all)`);
        const withTrigger = await timeInserts(ledger, 'receipts', batch, rounds);
        const without = await timeInserts(ledger, 'receipts_nochain', batch, rounds);
        const rows = batch * rounds;
        console.log(
          `  chain trigger: ${rows} receipts batch-inserted in ${withTrigger.toFixed(0)} ms with it, ${without.toFixed(0)} ms without = +${((withTrigger - without) / rows * 1000).toFixed(0)} µs a receipt (${(withTrigger / without).toFixed(2)}×); ` +
            `at ${receiptsPerDossier.toFixed(2)} receipts a dossier that is +${((withTrigger - without) / rows * receiptsPerDossier * n / 1000).toFixed(2)} s on this ${pushS.toFixed(1)} s push (${(((withTrigger - without) / rows * receiptsPerDossier * n / 1000 / pushS) * 100).toFixed(1)} %)`,
        );
      } finally {
        await ledger.close();
        await sim.close();
        await db.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
