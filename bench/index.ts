/**
 * Benchmarks: `npm run bench -- <name> [options]`. Each prints figures; none is a test.
 *   sync  --n 10000 [--concurrency 8] [--rate 5000]   ingest (file → ledger) and push (ledger → simulator)
 *   adapters --n 20000                                 records/s of parsing alone vs mapping + validation: JSON, CSV, XML
 *   reconcile --n 1000000 --diffs 100                 checksum bisection vs full comparison, source ⇄ ledger
 *   reports --n 140000                                import a half-year into PGlite, then Biểu 06 and 766 of it
 *   workers --n 300 --latency 150 --limit 40          push throughput of 1, 2, 4 worker processes within a shared rate limit (PostgreSQL)
 *   serve-load --seconds 60 --connections 200          a real `serve` on 127.0.0.1 under mixed API, dashboard, intake and hostile traffic
 *   startup [--runs 7]                                 start-up of the compiled CLI (--help, sync --help, deadline) against node -e 0
 *   push-ratio --n 5000 [--latency 5] [--db both]      gateway push vs a bare loop of the same HTTP calls (issue #13 goal 1)
 *   rate-fill --n 400 [--latency 150] [--rate 40]      calls/s achieved against the rate budget, max calls in any 1 s (goal 2)
 *   evidence --n 2000 [--db both]                      bytes per receipt and per 1M dossiers; cost of the chain trigger (issue #14)
 *   month --n 184513 [--db both]                       a busiest month: ingest + Biểu 06 + 766, seconds and peak RSS (goal 3)
 *   memory --n 100000 [--db both]                      peak RSS of ingest, push, report, reconcile at N/10 and N (goal 4)
 */
const [name = 'sync', ...args] = process.argv.slice(2);
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  sync: () => import('./sync.ts'),
  'adapters-xml': () => import('./adapters-xml.ts'),
  adapters: () => import('./adapters.ts'),
  reconcile: () => import('./reconcile.ts'),
  reports: () => import('./reports.ts'),
  workers: () => import('./workers.ts'),
  'serve-load': () => import('./serve-load.ts'),
  startup: () => import('./startup.ts'),
  'push-ratio': () => import('./push-ratio.ts'),
  'rate-fill': () => import('./rate-fill.ts'),
  evidence: () => import('./evidence.ts'),
  month: () => import('./month.ts'),
  memory: () => import('./memory.ts'),
  'memory-child': () => import('./memory.ts').then((m) => ({ run: m.child })),
};
const load = benches[name];
if (!load) {
  console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
  process.exit(1);
}
await (await load()).run(args);
