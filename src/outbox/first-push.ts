/**
 * `targets[].firstPush` (issue #10 item 4, migration from an older connector): what a target needs
 * for its first-push mode, checked before a run sends anything. `lookup` asks the portal whether
 * it already holds a dossier lienthong never pushed (TraCuuHoSo on session targets, `lookupPath`
 * on bare-array ones); a bare-array target without `lookupPath` cannot be asked, so the run is
 * refused rather than pushing blind ("not found" would only mean "unknown").
 */
import type { TargetConfig } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';

/** Every problem of a target's first-push mode ([] when ready), each naming the target and the key. */
export function firstPushProblems(target: TargetConfig): string[] {
  if (target.firstPush === 'lookup' && target.style === 'bare-array' && target.lookupPath === undefined) {
    return [
      `target "${target.id}": firstPush: "lookup" needs lookupPath on a bare-array target (the portal cannot be asked whether it holds a dossier); set lookupPath (e.g. "/TraCuuHoSo") or firstPush "insert" (an "exists" answer then turns the push into an update)`,
    ];
  }
  return [];
}

/** Throws a ConfigError listing {@link firstPushProblems}. */
export function checkFirstPush(target: TargetConfig): void {
  const problems = firstPushProblems(target);
  if (problems.length) throw new ConfigError(`target "${target.id}" cannot deliver: nothing was sent`, problems);
}
