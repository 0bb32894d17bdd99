/**
 * Driver errors as GatewayErrors. Driver messages can embed SQL and values, so only the driver's
 * error code and a fixed sentence are shown (style.md: never show a driver's message as is).
 */
import { ConfigError, GatewayError } from '../../src/sdk/index.ts';

export { GatewayError };

/** The database could not be reached or answered with an error; retryable. */
export class SourceUnavailable extends GatewayError {
  constructor(message: string) {
    super('source_unavailable', message, { retryable: true });
  }
}

const AUTH = new Set(['28P01', '28000', '3D000', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR']);
const SCHEMA = new Set(['42P01', '42703', '42601', 'ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR', 'ER_PARSE_ERROR']);

/**
 * Classifies a driver error: credentials / database → ConfigError; unknown relation or column,
 * bad query → ConfigError naming the option; anything else → retryable SourceUnavailable.
 *
 * @example
 * sqlError({ code: '28P01' }, 'qt-db'); // ConfigError: qt-db: the database refused the credentials (28P01)
 */
export function sqlError(e: unknown, what: string): GatewayError {
  if (e instanceof GatewayError) return e;
  const code = String((e as { code?: unknown }).code ?? (e as { errno?: unknown }).errno ?? 'unknown');
  if (AUTH.has(code)) return new ConfigError(`${what}: the database refused the credentials or the database name (${code}): check options.urlEnv / passwordEnv`);
  if (SCHEMA.has(code)) return new ConfigError(`${what}: the relation, query or a column does not exist or is not valid (${code}): check options.relation / query / keyColumn / modifiedColumn`);
  return new SourceUnavailable(`${what}: database error (${code})`);
}
