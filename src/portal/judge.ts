/**
 * Judging the portal's answers (contract §2.4). The portal answers 2xx with
 * `{error_code, message}` whatever happened, so the body decides:
 *
 * - `error_code` 0, "0", "00" → success;
 * - message "… đã tồn tại" on an insert (whatever the code: TD saw 0, 3 and -3) → `exists`;
 * - message about the session ("Phiên làm việc không hợp lệ…") → log in again (session style);
 * - anything else → UpstreamRejectedError keeping the portal's message, not retryable.
 */
import { isPortalSuccess, PortalAnswerSchema, PortalLoginAnswerSchema, type PortalAnswer } from '../../schemas/portal.ts';
import { SessionExpiredError, UpstreamRejectedError, UpstreamSchemaError } from '../errors.ts';
import { httpStatusError, isExistsMessage, isSessionProblem } from './classify.ts';
import { snippet, type HttpAnswer, type Verdict } from './transport.ts';
import type { LookupResult } from './types.ts';

export interface PortalReply {
  errorCode: string;
  message: string;
}

type Read = { kind: 'answer'; answer: PortalAnswer } | { kind: 'text'; text: string } | { kind: 'fail'; verdict: Verdict<never> };

function schemaFail(a: HttpAnswer, why: string): Verdict<never> {
  const error = new UpstreamSchemaError(`portal answered HTTP ${a.status} with ${why}: ${snippet(a.text) || '(empty body)'}`, { status: a.status });
  return { outcome: 'schema_error', errorCode: null, message: error.message, error };
}

/** Status check and JSON parse; a 2xx body that is not a JSON object comes back as text. */
function read(a: HttpAnswer, sessionStyle: boolean): Read {
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    json = undefined;
  }
  const parsed = PortalAnswerSchema.safeParse(json);
  if (a.status < 200 || a.status > 299) {
    const errorCode = parsed.success ? String(parsed.data.error_code) : null;
    const message = parsed.success && parsed.data.message ? parsed.data.message : snippet(a.text);
    const error = httpStatusError(a.status, a.headers.get('retry-after'), message, sessionStyle);
    return { kind: 'fail', verdict: { outcome: 'http_error', errorCode, message: message || null, error } };
  }
  if (parsed.success) return { kind: 'answer', answer: parsed.data };
  if (json === undefined || typeof json === 'string') return { kind: 'text', text: typeof json === 'string' ? json : a.text };
  return { kind: 'fail', verdict: schemaFail(a, 'JSON that is not {error_code, message}') };
}

function rejection(answer: PortalAnswer, sessionStyle: boolean, status: number): Verdict<never> {
  const errorCode = String(answer.error_code);
  const message = answer.message ?? '';
  const error =
    sessionStyle && isSessionProblem(message)
      ? new SessionExpiredError(`portal refused the session (error_code ${errorCode}): ${message}`, { status })
      : new UpstreamRejectedError(errorCode, message, { status });
  return { outcome: 'rejected', errorCode, message, error };
}

/**
 * Judges a `DongBoHoSoMC` (isUpdating given) or `CapNhatTienDoHoSoMC` (isUpdating undefined) answer.
 * A bare-array portal may answer plain text; TD accepts it when it says "thành công".
 */
export function judgePush(a: HttpAnswer, isUpdating: boolean | undefined, sessionStyle: boolean): Verdict<PortalReply & { exists: boolean }> {
  const r = read(a, sessionStyle);
  if (r.kind === 'fail') return r.verdict;
  const insert = isUpdating === false;
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
  return rejection(r.answer, sessionStyle, a.status);
}

/** Judges a login answer `{error_code, message, session}`; the value is the session token. */
export function judgeLogin(a: HttpAnswer): Verdict<string> {
  // 401/403 at the login itself are bad credentials, not a session to renew.
  const r = read(a, false);
  if (r.kind === 'fail') return r.verdict;
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
export function judgeLookup(a: HttpAnswer, sessionStyle: boolean): Verdict<LookupResult> {
  const r = read(a, sessionStyle);
  if (r.kind === 'fail') return r.verdict;
  if (r.kind === 'text') return schemaFail(a, 'a body that is not JSON');
  if (!isPortalSuccess(r.answer.error_code)) return rejection(r.answer, sessionStyle, a.status);
  const result = r.answer.result;
  const found = Array.isArray(result) ? result.length > 0 : result !== null && typeof result === 'object' && Object.keys(result).length > 0;
  return { outcome: 'ok', errorCode: String(r.answer.error_code), message: r.answer.message ?? '', value: { found, result: result ?? [] } };
}
