/**
 * The environment checked before a run touches anything: every secret a source or target names
 * (`*Env`) must be set, and every source's options must parse. One error lists every problem, each
 * naming the source or target, the option and the variable — nothing was read, stored or sent.
 */
import type { Config } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';
import { firstPushProblems } from '../outbox/first-push.ts';
import { buildSourceFrom } from './build-source.ts';

export interface EnvironmentScope {
  /** Sources that will be pulled / targets that will be delivered to (default: all). */
  sourceIds?: string[];
  targetIds?: string[];
  pull?: boolean;
  push?: boolean;
}

/**
 * Every problem of the environment for a run of this scope ([] when ready).
 *
 * @example
 * environmentProblems(config, process.env) // ['target "national": passwordEnv: the environment variable NATIONAL_PASSWORD is not set']
 */
export function environmentProblems(config: Config, env: Record<string, string | undefined>, scope: EnvironmentScope = {}): string[] {
  const problems: string[] = [];
  if (scope.pull !== false) {
    for (const source of config.sources) {
      if (scope.sourceIds && !scope.sourceIds.includes(source.id)) continue;
      try {
        buildSourceFrom(source, { env });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const head = e.message.split('\n')[0] ?? '';
        if (e.problems.length) for (const p of e.problems) problems.push(`source "${source.id}": ${p}`);
        else problems.push(head.startsWith(`source "${source.id}"`) ? head : `source "${source.id}": ${head}`);
      }
    }
  }
  if (scope.push !== false) {
    for (const target of config.targets) {
      if (scope.targetIds && !scope.targetIds.includes(target.id)) continue;
      if (target.style === 'session' && !env[target.passwordEnv]) {
        problems.push(`target "${target.id}": passwordEnv: the environment variable ${target.passwordEnv} (password of ${target.username}) is not set`);
      }
      problems.push(...firstPushProblems(target));
    }
  }
  return problems;
}

/** Throws one ConfigError listing every problem of {@link environmentProblems}. */
export function checkEnvironment(config: Config, env: Record<string, string | undefined>, scope: EnvironmentScope = {}): void {
  const problems = environmentProblems(config, env, scope);
  if (problems.length) throw new ConfigError('the environment is not ready: nothing was read, stored or sent', problems);
}
