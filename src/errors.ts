/**
 * One error hierarchy for the gateway. Every error that crosses a module boundary is a
 * `GatewayError` with a snake_case `code` and a `retryable` flag that retry logic reads.
 *
 * @example
 * throw new UpstreamHttpError('portal answered 503', { status: 503, retryable: true });
 */
export interface GatewayErrorOptions {
  retryable?: boolean;
  status?: number;
  cause?: unknown;
  /** Seconds the peer asked us to wait (HTTP Retry-After). */
  retryAfterMs?: number;
}

export class GatewayError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Bad configuration: never retryable, exit code 1. */
export class ConfigError extends GatewayError {
  readonly problems: string[];
  constructor(message: string, problems: string[] = [], options: GatewayErrorOptions = {}) {
    super('config_error', problems.length ? `${message}\n  - ${problems.join('\n  - ')}` : message, options);
    this.problems = problems;
  }
}

/** The peer answered with an HTTP status we treat as failure. */
export class UpstreamHttpError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions) {
    super('upstream_http', message, options);
  }
}

/** The peer could not be reached, reset the connection or did not answer in time. */
export class UpstreamNetworkError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super('upstream_network', message, { retryable: true, ...options });
  }
}

/**
 * The peer's answer did not have the shape we expect. Not retryable by default: the same request
 * usually gets the same answer; a caller that knows better (a portal's transient maintenance page)
 * says `retryable: true`.
 */
export class UpstreamSchemaError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super('upstream_schema', message, options);
  }
}

/** A 2xx answer whose body says the call failed (common with these portals). */
export class UpstreamRejectedError extends GatewayError {
  readonly errorCode: string;
  readonly portalMessage: string;
  constructor(errorCode: string, portalMessage: string, options: GatewayErrorOptions = {}) {
    super('upstream_rejected', `portal rejected the call (error_code ${errorCode}): ${portalMessage}`, options);
    this.errorCode = errorCode;
    this.portalMessage = portalMessage;
  }
}

/** The session is no longer valid: log in again and retry. */
export class SessionExpiredError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super('session_expired', message, { retryable: true, ...options });
  }
}

export interface ValidationIssue {
  /** JSON path of the offending value, e.g. `TaiLieuNop[0].DuocSoHoa`. */
  path: string;
  message: string;
  code?: string;
}

/** Input that does not satisfy a schema; lists every issue, not only the first. */
export class ValidationError extends GatewayError {
  readonly issues: ValidationIssue[];
  constructor(message: string, issues: ValidationIssue[]) {
    super('validation_error', `${message}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** The caller may not do this (HTTP 403), e.g. a source writing another unit's dossiers; lists every offending item. */
export class ForbiddenError extends GatewayError {
  readonly issues: ValidationIssue[];
  constructor(code: string, message: string, issues: ValidationIssue[] = []) {
    super(code, message, { status: 403 });
    this.issues = issues;
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string) {
    super('not_found', message, { status: 404 });
  }
}

/** Classification used by every retry loop: only errors that say so are retried. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GatewayError && error.retryable;
}
