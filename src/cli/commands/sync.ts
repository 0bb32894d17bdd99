import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { formatRunSummary } from '../format.ts';
import { runSync } from '../../pipeline/sync.ts';
import { markRunInterrupted } from '../../pipeline/runs.ts';
import { createRunLock, type Release } from '../../scheduler/lock.ts';
import { createSyncProgress } from '../progress.ts';
import { ConfigError } from '../../errors.ts';

export const help = `lienthong sync [--config FILE] [--source ID]… [--target ID]… [--reread SOURCE]… [--no-push] [--no-pull] [--json] [--quiet]
  Pull every source into the ledger, then deliver every due dossier to every target.
  Every secret (*Env) is checked first: a missing one stops the run before anything is read or sent.
  --reread SOURCE reads that source from the beginning (its files again); a source whose options
  (mapping, tables…) changed is read again by itself. A run killed midway is marked interrupted by the next one.
  Exit 0 = all valid and delivered; 2 = needs attention (quarantine, dead or pending); 1 = fatal.
  Example: npx lienthong sync --config lienthong.config.json --json`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    source: { type: 'string', multiple: true },
    target: { type: 'string', multiple: true },
    'no-push': { type: 'boolean', default: false },
    'no-pull': { type: 'boolean', default: false },
    reread: { type: 'string', multiple: true },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  return withLedger(values.config, async (ledger, config) => {
    if (ledger.sharedBy !== undefined) {
      // Behind serve's socket every client shares serve's one database session, so the run lock could
      // not keep this run and serve's scheduled run of the same source apart: the run goes through serve.
      throw new ConfigError(
        `lienthong serve (pid ${ledger.sharedBy}) holds the embedded database: start the run through it (dashboard, or POST /api/v1/sources/ID/runs), stop serve first, or use PostgreSQL (DATABASE_URL) to sync beside it`,
      );
    }
    // The same run lock as the scheduler of `lienthong serve`: a source never syncs twice at once.
    const lock = createRunLock(ledger);
    const wanted = config.sources.filter((s) => !values.source || values.source.includes(s.id)).map((s) => s.id);
    const releases: Release[] = [];
    const busy: string[] = [];
    for (const id of wanted) {
      const release = await lock.tryAcquire(`sync:${id}`);
      if (release) releases.push(release);
      else busy.push(id);
    }
    const progress = createSyncProgress({ quiet: values.quiet, json: values.json });
    // Stopped by Ctrl-C or SIGTERM: the run ends as interrupted before the process exits.
    let runId: string | undefined;
    const stop = (signal: NodeJS.Signals) => {
      const done = runId ? markRunInterrupted(ledger, runId, `the run did not finish: stopped by ${signal}`) : Promise.resolve(false);
      void done.catch(() => false).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const summary = await runSync(ledger, config, {
      onStart: (id) => (runId = id),
      ...(values.reread ? { reread: values.reread } : {}),
      env: process.env,
      onSource: progress.onSource,
      onTarget: progress.onTarget,
      sourceIds: wanted.filter((id) => !busy.includes(id)),
      ...(values.target ? { targetIds: values.target } : {}),
      pull: !values['no-pull'],
      push: !values['no-push'],
    }).finally(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      progress.stop();
      return Promise.all(releases.map((r) => r()));
    });
    for (const id of busy) {
      summary.sources.push({ id, pulled: 0, new: 0, changed: 0, unchanged: 0, quarantined: 0, error: 'skipped: a run of this source is already in progress (another process holds its run lock)' });
      summary.exitCode = 2;
    }
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else if (!values.quiet || summary.exitCode !== 0) console.log(formatRunSummary(summary));
    return summary.exitCode;
  });
}
