/**
 * Secrets in source options arrive by reference: an option `fooEnv` names the environment variable
 * holding `foo` (`passwordEnv: "QT_MOTCUA_PASSWORD"` → `password`). The pipeline resolves them once,
 * here, so that adapters never read the environment.
 */
import { ConfigError } from '../errors.ts';

const ENV_NAME_RE = /^[A-Z_][A-Z0-9_]*$/;

/**
 * A copy of `options` where each `<name>Env` option (an env var name) also sets `<name>` from `env`.
 * An explicit `<name>` is kept; a named variable that is unset or empty is a ConfigError.
 *
 * @example
 * resolveSecrets({ user: 'a', passwordEnv: 'PW' }, { PW: 's3cret' }, 'qt-motcua');
 * // { user: 'a', passwordEnv: 'PW', password: 's3cret' }
 */
export function resolveSecrets(options: Record<string, unknown>, env: Record<string, string | undefined>, sourceId: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  const problems: string[] = [];
  for (const [key, name] of Object.entries(options)) {
    if (!key.endsWith('Env') || key.length <= 3 || typeof name !== 'string' || !ENV_NAME_RE.test(name)) continue;
    const target = key.slice(0, -3);
    if (out[target] !== undefined) continue;
    const value = env[name];
    if (value === undefined || value === '') problems.push(`options.${key}: the environment variable ${name} is not set`);
    else out[target] = value;
  }
  if (problems.length) throw new ConfigError(`source "${sourceId}" needs secrets from the environment`, problems);
  return out;
}
