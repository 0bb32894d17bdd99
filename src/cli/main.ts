/**
 * The `lienthong` command: dispatches to one module per command under ./commands/.
 * Exit codes are part of the public interface: 0 ok, 2 needs attention, 1 fatal.
 */
import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors.ts';

interface CommandModule {
  run(argv: string[]): Promise<number>;
  help?: string;
}

/** Every command with a one-line description and an example (shown by `lienthong --help`). */
export const COMMANDS: Record<string, { summary: string; example: string }> = {
  demo: { summary: 'Demo on the embedded database: sample local system → simulated national portal', example: 'npm start' },
  sync: { summary: 'Pull every source into the ledger and deliver every due dossier', example: 'npx lienthong sync --config lienthong.config.json --json' },
  dossier: { summary: 'Show one dossier: canonical, raw, deliveries, receipts', example: 'npx lienthong dossier show 000.20.48.H48-261001-0001' },
  quarantine: { summary: 'List rejected records with every issue; map them again after a fix', example: 'npx lienthong quarantine replay --source qt-motcua' },
  deliveries: { summary: 'List deliveries to the portals; send dead ones again after fixing the cause', example: 'npx lienthong deliveries retry --target national' },
  'portal-sim': { summary: 'Run the national-portal simulator (both styles, fault injection)', example: 'npx lienthong portal-sim --port 9000 --faults \'{"p503":0.2}\'' },
  reconcile: { summary: 'Compare source, ledger, deliveries and portal per unit × bucket; list and repair differing dossiers', example: 'npx lienthong reconcile --target national --from 2026-10-01 --to 2026-10-31 --format html --out doi-soat.html' },
  serve: { summary: 'HTTP API, webhook intake, /metrics and the scheduler, as a service', example: 'npx lienthong serve --config lienthong.config.json --port 8080' },
  worker: { summary: 'An extra outbox worker on the same PostgreSQL (start several to scale out)', example: 'npx lienthong worker --config lienthong.config.json' },
  apikey: { summary: 'Create, list and revoke API keys of the HTTP API (roles admin, operator, viewer)', example: 'npx lienthong apikey create --role viewer --name grafana --json' },
  adapter: { summary: 'List adapters, scaffold one from a sample, check one (conformance report)', example: 'npx lienthong adapter new my-vendor --from-sample ./sample.json' },
  source: { summary: 'Live dry run of a source: first page pulled and mapped, nothing written', example: 'npx lienthong source test qt-motcua' },
  deadline: { summary: 'Compute a due date with the working-day calendar', example: 'npx lienthong deadline --received 2026-02-13T10:00 --working-days 3' },
  report: { summary: 'Biểu 06, 766 indicators, apology letters due and deadline mismatches from the ledger (json/csv/xlsx/html)', example: 'npx lienthong report --month 2026-10 --calendar admin --format xlsx --out bieu06.xlsx' },
  evidence: { summary: 'Evidence of the exchanges with the portals: public key, checkpoints, per-dossier bundles that verify offline', example: 'npx lienthong evidence export 000.20.48.H48-261001-0001 --out ho-so.evidence.json' },
  catalog: { summary: 'Procedure catalogue (danh mục TTHC) from the portal, a provincial proxy or a file, stored with dates; shown in Vietnam time', example: 'npx lienthong catalog sync --target tinh' },
  ledger: { summary: 'Verify every receipt chain and signed checkpoint; names the first receipt that does not verify', example: 'npx lienthong ledger verify --target national' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  e.g. ${c.example}`);
  return `lienthong — integration gateway for one-stop systems and the national public-service portal

Usage: lienthong <command> [options]   (every command takes --config FILE and --help)

Commands:
${lines.join('\n')}

Exit codes: 0 ok · 2 finished but needs attention · 1 fatal (bad config, database unreachable)`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  if (name === '--version') {
    console.log('lienthong 0.1.0');
    return 0;
  }
  if (!(name in COMMANDS)) {
    console.error(`lienthong: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  const recorded = rest.length === 1 ? builtHelp(name, rest[0] as string) : undefined;
  if (recorded) {
    process.stdout.write(recorded.stdout);
    process.stderr.write(recorded.stderr);
    return recorded.code;
  }
  try {
    const mod = (await import(`./commands/${name}.ts`)) as CommandModule;
    return await mod.run(rest);
  } catch (e) {
    console.error(`lienthong ${name}: ${describeError(e)}`);
    return 1;
  }
}

/** What `lienthong <command> --help|-h` printed and returned, recorded by `npm run build` (scripts/build.mjs). */
interface RecordedHelp {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * The compiled CLI answers `<command> --help` from dist/src/cli/help.json, written by the build from
 * the command modules themselves, so printing a help text loads none of the command's modules
 * (PGlite, drizzle, exceljs, hono). From the sources there is no such file: the module answers.
 */
function builtHelp(name: string, flag: string): RecordedHelp | undefined {
  if (flag !== '--help' && flag !== '-h') return undefined;
  try {
    const all = JSON.parse(readFileSync(new URL('./help.json', import.meta.url), 'utf8')) as Record<string, Record<string, RecordedHelp>>;
    return all[name]?.[flag];
  } catch {
    return undefined;
  }
}

function describeError(e: unknown): string {
  if (e instanceof GatewayError) return `${e.message} [${e.code}]`;
  if (e instanceof Error) return e.message;
  return String(e);
}
