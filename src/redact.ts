/**
 * Personal data and secrets out of what people see: API answers for viewers and every log line.
 * Keys are matched by name (canonical and portal spellings); free text is scanned for citizen ID
 * numbers (9 or 12 digits), phone numbers and e-mail addresses.
 */

/** Citizen ID numbers, phones and e-mails, by key (canonical dossier and portal wire format). */
const PERSONAL_KEYS = new Set(['idNumber', 'SoGiayToChuHoSo', 'phone', 'SoDienThoai', 'email', 'Email', 'fax', 'Fax', 'SoDinhDanh']);
/** Secrets and session tokens: never shown, not even partly. */
const SECRET_KEYS = /^(password|passwd|secret|token|session|authorization|cookie|api[_-]?key|key_hash|keyHash|x-lienthong-signature)$/i;

const DIGITS = /(?<![\w.+])(?:\+?84\d{9}|\d{12}|\d{9,10})(?![\w.])/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * Masks a value for people: keeps the last three characters of a number, the first letter and the
 * domain of an e-mail address.
 *
 * @example
 * maskValue('079123456789') // '*********789'
 * maskValue('an.nguyen@example.vn') // 'a***@example.vn'
 */
export function maskValue(value: string): string {
  if (value.includes('@')) return value.replace(EMAIL, '$1***@$2');
  return value.length <= 3 ? '***' : '*'.repeat(value.length - 3) + value.slice(-3);
}

/**
 * Masks citizen ID numbers, phones and e-mails in free text (a raw line, a message).
 *
 * @example
 * maskText('CCCD 079123456789, an@x.vn') // 'CCCD *********789, a***@x.vn'
 */
export function maskText(text: string): string {
  // Dates of the portal format (yyyyMMddHHmmss, 14 digits) and dossier codes are left alone.
  return text.replace(EMAIL, '$1***@$2').replace(DIGITS, (m) => maskValue(m));
}

/**
 * A deep copy with personal data masked and secrets replaced by `[redacted]`.
 *
 * @example
 * maskPersonalData({ applicant: { idNumber: '079123456789' } }) // { applicant: { idNumber: '*********789' } }
 */
export function maskPersonalData<T>(value: T, seen = new WeakSet<object>()): T {
  return walk(value, seen) as T;
}

function walk(value: unknown, seen: WeakSet<object>, key?: string): unknown {
  if (key !== undefined && SECRET_KEYS.test(key) && value !== null && value !== undefined) return '[redacted]';
  if (typeof value === 'string') return key !== undefined && PERSONAL_KEYS.has(key) ? maskValue(value) : maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, seen));
  if (value instanceof Error) return { type: value.name, message: maskText(value.message), code: (value as { code?: unknown }).code };
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, seen, k);
  return out;
}
