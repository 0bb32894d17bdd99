/**
 * Judging the portal's answers (contract §2.4). The portal answers 2xx with
 * `{error_code, message}` whatever happened, so the body decides:
 *
 * - `error_code` 0, "0", "00" → success;
 * - message "… đã tồn tại" on an insert (whatever the code: TD saw 0, 3 and -3) → `exists`;
 * - message about the session ("Phiên làm việc không hợp lệ…") → log in again (session style);
 * - anything else → UpstreamRejectedError keeping the portal's message, not retryable.
 *
 * A target's own rules (`targets[].answers`, see `AnswerPolicy`) are read first, in order; the
 * first that matches decides what the answer means. Real portals answer transient trouble as
 * HTTP 200 `error_code "-1"`, expired tokens as `"-2"` and existing dossiers as `"-3"`.
 */
import type { AnswerRule } from '../../schemas/config.ts';
import { isPortalSuccess, PortalAnswerSchema, PortalLoginAnswerSchema, type PortalAnswer } from '../../schemas/portal.ts';
import { SessionExpiredError, UpstreamRejectedError, UpstreamSchemaError } from '../errors.ts';
import { httpStatusError, isExistsMessage, isSessionProblem } from './classify.ts';
import { snippet, type HttpAnswer, type Verdict } from './transport.ts';
import type { LookupResult } from './types.ts';

export interface PortalReply {
  errorCode: string;
  message: string;
}

export type AnswerMeaning = AnswerRule['means'];

/** How one target's answers are read: its own rules first, then whether a refused credential can be renewed. */
export interface AnswerPolicy {
  rules: readonly CompiledRule[];
  /** The target logs in (session) or fetches tokens (OAuth2): session wording and 401/403 mean "renew and repeat once". */
  renewable: boolean;
}

export interface CompiledRule {
  errorCode?: string;
  message?: RegExp;
  httpStatus?: number;
  means: AnswerMeaning;
}

/** Compiles `targets[].answers` (case-insensitive, Unicode regular expressions, matched on NFC text). */
export function answerPolicy(rules: readonly AnswerRule[] | undefined, renewable: boolean): AnswerPolicy {
  return {
    renewable,
    rules: (rules ?? []).map((r) => ({
      ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode.trim() }),
      ...(r.messageMatches === undefined ? {} : { message: new RegExp(r.messageMatches.normalize('NFC'), 'iu') }),
      ...(r.httpStatus === undefined ? {} : { httpStatus: r.httpStatus }),
      means: r.means,
    })),
  };
}

/** The built-in reading only (no rules): today's behaviour. */
export const BUILT_IN = (renewable: boolean): AnswerPolicy => ({ rules: [], renewable });

/** The first rule matching an answer; a rule without `httpStatus` applies to 2xx answers only. */
/** The most of a message a rule's expression reads: a portal's answer may be megabytes, a rule's pattern must not freeze the process on it. */
export const RULE_TEXT_MAX = 4096;

export function matchRule(policy: AnswerPolicy, status: number, errorCode: string | null, message: string): AnswerMeaning | undefined {
  if (policy.rules.length === 0) return undefined;
  const text = message.slice(0, RULE_TEXT_MAX).normalize('NFC');
  for (const r of policy.rules) {
    if (r.httpStatus !== undefined ? r.httpStatus !== status : status < 200 || status > 299) continue;
    if (r.errorCode !== undefined && (errorCode === null || errorCode.trim() !== r.errorCode)) continue;
    if (r.message !== undefined && !r.message.test(text)) continue;
    return r.means;
  }
  return undefined;
}

type Read =
  | { kind: 'answer'; answer: PortalAnswer }
  | { kind: 'text'; text: string }
  | { kind: 'rule'; means: AnswerMeaning; errorCode: string; message: string }
  | { kind: 'fail'; verdict: Verdict<never> };

function schemaFail(a: HttpAnswer, why: string): Verdict<never> {
  const error = new UpstreamSchemaError(`portal answered HTTP ${a.status} with ${why}: ${snippet(a.text) || '(empty body)'}`, { status: a.status, retryable: true });
  return { outcome: 'schema_error', errorCode: null, message: error.message, error };
}

/** Status check, JSON parse and the target's rules; a 2xx body that is not a JSON object comes back as text. */
function read(a: HttpAnswer, policy: AnswerPolicy): Read {
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    json = undefined;
  }
  const parsed = PortalAnswerSchema.safeParse(json);
  const errorCode = parsed.success ? String(parsed.data.error_code) : null;
  const ok2xx = a.status >= 200 && a.status <= 299;
  const message = parsed.success ? (parsed.data.message ?? '') : typeof json === 'string' ? json : ok2xx ? a.text : snippet(a.text);
  const means = matchRule(policy, a.status, errorCode, message);
  if (means !== undefined) return { kind: 'rule', means, errorCode: errorCode ?? '', message };
  if (!ok2xx) {
    const shown = parsed.success && parsed.data.message ? parsed.data.message : snippet(a.text);
    const error = httpStatusError(a.status, a.headers.get('retry-after'), shown, policy.renewable);
    return { kind: 'fail', verdict: { outcome: 'http_error', errorCode, message: shown || null, error } };
  }
  if (parsed.success) return { kind: 'answer', answer: parsed.data };
  if (json === undefined || typeof json === 'string') return { kind: 'text', text: typeof json === 'string' ? json : a.text };
  return { kind: 'fail', verdict: schemaFail(a, 'JSON that is not {error_code, message}') };
}

/** The verdict a rule gives; `exists` counts only on an insert (elsewhere it is a rejection). */
function ruled<T>(r: Extract<Read, { kind: 'rule' }>, status: number, insert: boolean, value: (exists: boolean) => T): Verdict<T> {
  const { errorCode, message } = r;
  const why = `a rule of targets[].answers: ${r.means}`;
  switch (r.means) {
    case 'ok':
      return { outcome: 'ok', errorCode, message, value: value(false) };
    case 'exists':
      if (insert) return { outcome: 'exists', errorCode, message, value: value(true) };
      return { outcome: 'rejected', errorCode, message, error: new UpstreamRejectedError(errorCode, `${message} (${why}, but the call was not an insert)`, { status }) };
    case 'retry':
      return { outcome: 'rejected', errorCode, message, error: new UpstreamRejectedError(errorCode, `${message} (${why})`, { status, retryable: true }) };
    case 'session_expired':
      return { outcome: 'rejected', errorCode, message, error: new SessionExpiredError(`portal refused the credential (error_code ${errorCode || '-'}, ${why}): ${message}`, { status }) };
    case 'reject':
      return { outcome: 'rejected', errorCode, message, error: new UpstreamRejectedError(errorCode, message, { status }) };
  }
}

function rejection(answer: PortalAnswer, renewable: boolean, status: number): Verdict<never> {
  const errorCode = String(answer.error_code);
  const message = answer.message ?? '';
  const error =
    renewable && isSessionProblem(message)
      ? new SessionExpiredError(`portal refused the session (error_code ${errorCode}): ${message}`, { status })
      : new UpstreamRejectedError(errorCode, message, { status });
  return { outcome: 'rejected', errorCode, message, error };
}

/**
 * Judges a `DongBoHoSoMC` (isUpdating given) or `CapNhatTienDoHoSoMC` (isUpdating undefined) answer.
 * A bare-array portal may answer plain text; TD accepts it when it says "thành công".
 */
export function judgePush(a: HttpAnswer, isUpdating: boolean | undefined, policy: AnswerPolicy, sessionStyle: boolean): Verdict<PortalReply & { exists: boolean }> {
  const r = read(a, policy);
  if (r.kind === 'fail') return r.verdict;
  const insert = isUpdating === false;
  if (r.kind === 'rule') return ruled(r, a.status, insert, (exists) => ({ errorCode: r.errorCode, message: r.message, exists }));
  if (r.kind === 'text') {
    const text = r.text.normalize('NFC');
    if (insert && isExistsMessage(text)) return { outcome: 'exists', errorCode: '', message: text, value: { errorCode: '', message: text, exists: true } };
    if (!sessionStyle && text.toLowerCase().includes('thành công')) {
      return { outcome: 'ok', errorCode: '', message: text, value: { errorCode: '', message: text, exists: false } };
    }
    return schemaFail(a, 'a body that is not JSON');
  }
  const errorCode = String(r.answer.error_code);
  const message = r.answer.message ?? '';
  if (insert && isExistsMessage(message)) return { outcome: 'exists', errorCode, message, value: { errorCode, message, exists: true } };
  if (isPortalSuccess(r.answer.error_code)) return { outcome: 'ok', errorCode, message, value: { errorCode, message, exists: false } };
  return rejection(r.answer, policy.renewable, a.status);
}

/** Judges a login answer `{error_code, message, session}`; the value is the session token. */
export function judgeLogin(a: HttpAnswer, policy: AnswerPolicy = BUILT_IN(false)): Verdict<string> {
  // 401/403 at the login itself are bad credentials, not a session to renew.
  const r = read(a, { ...policy, renewable: false });
  if (r.kind === 'fail') return r.verdict;
  if (r.kind === 'rule' && r.means !== 'ok') {
    // At the login a "session expired" is a refused login: nothing to renew.
    const v = ruled(r, a.status, false, () => '');
    // session_expired at the login is the proxy's credential refused: the client renews it once (OAuth2) or gives up.
    if (r.means !== 'exists') return v as Verdict<never>;
    return { outcome: 'rejected', errorCode: r.errorCode, message: r.message, error: new UpstreamRejectedError(r.errorCode, `login refused: ${r.message}`, { status: a.status }) };
  }
  if (r.kind === 'rule') {
    // "ok" by a rule: the session is still read from the answer.
    let body: unknown;
    try {
      body = JSON.parse(a.text);
    } catch {
      body = undefined;
    }
    const session = body && typeof body === 'object' ? (body as Record<string, unknown>)['session'] : undefined;
    if (typeof session !== 'string' || session === '') return schemaFail(a, 'a login answer without a session');
    return { outcome: 'ok', errorCode: r.errorCode, message: r.message, value: session };
  }
  if (r.kind === 'text') return schemaFail(a, 'a body that is not JSON');
  const parsed = PortalLoginAnswerSchema.safeParse(r.answer);
  if (!parsed.success) return schemaFail(a, 'a login answer whose session is not a string');
  const login = parsed.data;
  const errorCode = String(login.error_code);
  const message = login.message ?? '';
  if (!isPortalSuccess(login.error_code)) {
    const error = new UpstreamRejectedError(errorCode, `login refused: ${message}`, { status: a.status });
    return { outcome: 'rejected', errorCode, message, error };
  }
  if (!login.session) return schemaFail(a, 'a login answer without a session');
  return { outcome: 'ok', errorCode, message, value: login.session };
}

/** Judges a `TraCuuHoSo` answer: found when `result` is non-empty (contract §2.4). */
export function judgeLookup(a: HttpAnswer, policy: AnswerPolicy): Verdict<LookupResult> {
  const r = read(a, policy);
  if (r.kind === 'fail') return r.verdict;
  let result: unknown;
  if (r.kind === 'rule') {
    if (r.means !== 'ok' && r.means !== 'exists') return ruled(r, a.status, false, () => ({ found: false, result: [] }));
    const parsed = PortalAnswerSchema.safeParse(safeJson(a.text));
    result = parsed.success ? parsed.data.result : undefined;
    const found = hasItems(result);
    return { outcome: 'ok', errorCode: r.errorCode, message: r.message, value: { found, result: result ?? [] } };
  }
  if (r.kind === 'text') return schemaFail(a, 'a body that is not JSON');
  if (!isPortalSuccess(r.answer.error_code)) return rejection(r.answer, policy.renewable, a.status);
  result = r.answer.result;
  const found = hasItems(result);
  return { outcome: 'ok', errorCode: String(r.answer.error_code), message: r.answer.message ?? '', value: { found, result: result ?? [] } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hasItems(result: unknown): boolean {
  return Array.isArray(result) ? result.length > 0 : result !== null && typeof result === 'object' && Object.keys(result).length > 0;
}
