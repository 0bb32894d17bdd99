/**
 * Calls to the OpenCPS v2 REST API (opencps-api.md §1–2, §6): list, detail, processing history.
 * Headers `groupId`, `Authorization: Basic`, `Accept: application/json` on every call.
 *
 * Quirks handled here:
 * - a failed login is HTTP **203** `{"message":"Non-Authoritative Information.","code":203,…}` → auth error;
 * - most other failures are HTTP 403 `{"message":"No Content.","code":403,"description":"<exception>"}`:
 *   not a permission problem (deep paging past the result window, a broken log entry) → not retried;
 * - a 200 list without `total` is a failure; `data` missing = empty, a bare object = one row;
 * - a detail for an unknown id is HTTP 200 with an almost empty object (no `dossierId`) = not found.
 */
import { ConfigError, UpstreamHttpError, UpstreamSchemaError } from '../../src/sdk/index.ts';
import { createHttpClient, SourceAuthError, snippet, type HttpClient } from '../../src/sdk/http.ts';
import { zodIssues } from '../../src/sdk/index.ts';
import { isoDayToVn } from '../../src/sdk/index.ts';
import type { OpencpsOptions, OpencpsQuery } from './config.ts';
import { OpencpsListSchema, OpencpsLogsSchema } from './raw.ts';

const DATE_PARAMS = { receive: ['fromReceiveDate', 'toReceiveDate'], release: ['fromReleaseDate', 'toReleaseDate'], finish: ['fromFinishDate', 'toFinishDate'] } as const;

export interface OpencpsClient {
  list(query: OpencpsQuery, start: number, end: number, signal?: AbortSignal): Promise<{ total: number; rows: unknown[] }>;
  detail(dossierId: string, signal?: AbortSignal): Promise<Record<string, unknown> | null>;
  logs(dossierId: string, signal?: AbortSignal): Promise<unknown[]>;
  /** The phases of the dossier's process with the actions taken (§6.2): the history when the log fails. */
  sequences(dossierId: string, signal?: AbortSignal): Promise<unknown[]>;
  close(): Promise<void>;
}

/** The password the pipeline resolved; a ConfigError (naming only the variable) when it did not. */
export function passwordOf(options: OpencpsOptions): string {
  if (options.password !== undefined) return options.password;
  throw new ConfigError(`opencps: the password is not available (the environment variable ${options.passwordEnv ?? '(passwordEnv)'} is not set or was not resolved)`);
}

/** The query string of one listing query (dates `dd/MM/yyyy`, whole days; ascending creation order). */
export function listQuery(options: OpencpsOptions, query: OpencpsQuery, start: number, end: number): Record<string, string | number> {
  const q: Record<string, string | number> = { start, end, order: 'false', originality: options.originality };
  if (query.agency !== undefined) q['agency'] = query.agency;
  if (query.kind === 'window') {
    const [from, to] = DATE_PARAMS[query.field];
    q[from] = isoDayToVn(query.from);
    q[to] = isoDayToVn(query.to);
  } else {
    q['status'] = query.statuses.join(',');
  }
  return q;
}

function bodyMessage(text: string): string {
  try {
    const b = JSON.parse(text) as { message?: unknown; description?: unknown };
    return [b.message, b.description].filter((x) => typeof x === 'string' && x).join(' ');
  } catch {
    return snippet(text);
  }
}

export function createOpencpsClient(options: OpencpsOptions): OpencpsClient {
  const password = passwordOf(options);
  const http: HttpClient = createHttpClient({
    baseUrl: options.baseUrl,
    name: 'opencps',
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    connections: options.detailConcurrency,
    secrets: [password, `${options.username}:${password}`],
    judge(answer) {
      if (answer.status === 203) {
        throw new SourceAuthError(`opencps: the login of "${options.username}" was refused (HTTP 203 Non-Authoritative Information): check the username, the password and that the account may read site ${options.groupId}`, { status: 203 });
      }
    },
    classify(status, text) {
      if (status === 403 && /No Content/i.test(text)) {
        return new UpstreamHttpError(`opencps answered HTTP 403 "No Content." (an internal error, often a query past the search result window): ${snippet(bodyMessage(text))}`, { status, retryable: false });
      }
      return undefined;
    },
  });
  const headers = {
    groupId: options.groupId,
    authorization: `Basic ${Buffer.from(`${options.username}:${password}`).toString('base64')}`,
    accept: 'application/json',
  };

  return {
    async list(query, start, end, signal) {
      const { json } = await http.sendJson({ url: 'dossiers', query: listQuery(options, query, start, end), headers, signal });
      const parsed = OpencpsListSchema.safeParse(json);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`);
        throw new UpstreamSchemaError(`opencps GET /dossiers?start=${start}: the list envelope is malformed: ${issues.join('; ')}`, { retryable: false });
      }
      const data = parsed.data.data;
      return { total: parsed.data.total, rows: data === undefined ? [] : Array.isArray(data) ? data : [data] };
    },
    async detail(dossierId, signal) {
      const { json } = await http.sendJson({ url: `dossiers/${encodeURIComponent(dossierId)}`, headers, signal });
      if (json === null || typeof json !== 'object' || Array.isArray(json) || !('dossierId' in json)) return null;
      return json as Record<string, unknown>;
    },
    async logs(dossierId, signal) {
      const { json } = await http.sendJson({ url: `dossierlogs/${encodeURIComponent(dossierId)}/logs`, headers, signal });
      const parsed = OpencpsLogsSchema.safeParse(json);
      if (!parsed.success) throw new UpstreamSchemaError(`opencps GET /dossierlogs/${dossierId}/logs: not a log list`, { retryable: false });
      return parsed.data.data ?? [];
    },
    async sequences(dossierId, signal) {
      const { json } = await http.sendJson({ url: `dossiers/${encodeURIComponent(dossierId)}/sequences`, headers, signal });
      const parsed = OpencpsLogsSchema.safeParse(json);
      if (!parsed.success) throw new UpstreamSchemaError(`opencps GET /dossiers/${dossierId}/sequences: not a phase list`, { retryable: false });
      return parsed.data.data ?? [];
    },
    close: () => http.close(),
  };
}
