import { runDemo, isFirstDemoRun } from '../../demo/run-demo.ts';
import { parse } from '../args.ts';
import { formatRunSummary } from '../format.ts';

export const help = `lienthong demo [--dir .lienthong/demo] [--count 300] [--no-faults] [--json]
  Runs the whole spine on a fresh machine: a bundled sample local system (export files), the
  national-portal simulator on loopback with injected faults (503, 429, lost acknowledgements),
  and a real sync on the embedded database. Run it again to see changed dossiers re-delivered.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    dir: { type: 'string', default: '.lienthong/demo' },
    count: { type: 'string', default: '300' },
    'no-faults': { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive whole number, got "${values.count}"`);
  const first = isFirstDemoRun(values.dir);
  if (!values.json) {
    console.log(first ? `Demo: generating a sample local system with ${count} dossiers in ${values.dir}/exports` : `Demo: the sample local system changed some dossiers since the last run`);
    console.log('Demo: starting the national-portal simulator on 127.0.0.1 (faults: 5% 503, 3% 429, 2% lost acknowledgements)');
  }
  const faults = values['no-faults'] ? {} : { p503: 0.05, p429: 0.03, retryAfterSeconds: 1, pLostAck: 0.02 };
  const result = await runDemo({ dir: values.dir, count, faults, env: process.env });
  if (values.json) console.log(JSON.stringify(result.summary, null, 2));
  else {
    console.log(formatRunSummary(result.summary));
    console.log(`The simulated portal now holds ${result.portalDossiers} dossier(s) from this run.`);
    console.log(`Look inside: npx lienthong dossier show <MaHoSo> --config ${values.dir}/lienthong.config.json  (and: quarantine list)`);
  }
  return result.summary.exitCode;
}
