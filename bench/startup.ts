/**
 * `npm run bench -- startup [--runs 7]`: start-up time of the compiled `lienthong` (dist/, from
 * `npm run build`) against `node -e 0`, medians of --runs runs each, with the targets of issue 11:
 * `--help` ≤ 2×, `sync --help` ≤ 3×, `deadline …` ≤ 4× of `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const BIN = resolve('dist/src/cli/bin.mjs');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function timeRuns(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
  }
  return median(times);
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '7' } } });
  const runs = Number(values.runs);
  if (!existsSync(BIN)) throw new Error('no compiled build: run `npm run build` first');
  const base = timeRuns(['-e', '0'], runs);
  const cases = [
    { name: 'lienthong --help', args: [BIN, '--help'], target: 2 },
    { name: 'lienthong sync --help', args: [BIN, 'sync', '--help'], target: 3 },
    { name: 'lienthong deadline --received 2026-02-13T10:00 --working-days 3', args: [BIN, 'deadline', '--received', '2026-02-13T10:00', '--working-days', '3'], target: 4 },
  ];
  console.log(`start-up, median of ${runs} runs (Node ${process.version}, dist/)`);
  console.log(`${'node -e 0'.padEnd(66)} ${base.toFixed(0).padStart(5)} ms`);
  for (const c of cases) {
    const ms = timeRuns(c.args, runs);
    const ratio = ms / base;
    console.log(`${c.name.padEnd(66)} ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)}× (target ≤ ${c.target}×) ${ratio <= c.target ? 'ok' : 'OVER'}`);
  }
}
