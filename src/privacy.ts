/**
 * Privacy: the one module that decides what people may see of citizens' data and of secrets.
 * API answers for viewers, dashboard pages, every log line, every stored peer answer and every
 * error message shown to a user go through it.
 *
 * - Personal data (citizen ID numbers, phones, faxes, e-mail addresses) is masked by key name
 *   (canonical, portal and common vendor spellings, also when the value is a JSON number) and in
 *   free text by a linear-time scanner (no backtracking regular expression runs over unbounded
 *   input): 9–12 digit numbers, numbers written in groups (`079 188 001 234`, `0912.345.678`,
 *   `+84 912 345 679`, `079-188-001-237`) and numbers glued to an ID word (`CCCD079188001235`).
 *   Dossier codes (`000.31.48.H48-261001-0001`), portal dates (14 digits) and amounts written
 *   with thousands separators (`150.000.000`) are left alone.
 * - Secrets (passwords, tokens, session ids, cookies, keys, signatures) are replaced by
 *   `[redacted]` by key name, and in free text (a portal's error page that echoes our request)
 *   where they follow a secret word (`"password":"…"`, `password=…`, `Bearer …`, `Cookie: …`).
 * - Stored and shown messages are cut to a few KB, with a note of the original size.
 * - Errors shown to users never carry an SQL statement or its parameters.
 */
import type { Dossier } from '../schemas/dossier.ts';

// ---------------------------------------------------------------------------------------------
// Keys

/** Lower case, letters and digits only: `So_Dien_Thoai` → `sodienthoai`. */
function normalizeKey(key: string): string {
  // Vietnamese letters to their base letter (`Số` → `so`), then letters and digits only.
  const base = key.slice(0, 64).normalize('NFD');
  let out = '';
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) out += base[i];
    else if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
    else if (c === 0x110 || c === 0x111) out += 'd'; // Đ đ
  }
  return out;
}

/** Parts of a key name that mark personal data (after {@link normalizeKey}). */
const PERSONAL_PARTS = ['idnumber', 'sogiayto', 'sodinhdanh', 'cmnd', 'cccd', 'cmt', 'hochieu', 'passport', 'phone', 'mobile', 'dienthoai', 'sodt', 'sdt', 'telephone', 'email', 'mail', 'fax'];
/** Exact key names of personal data too short to match by part. */
const PERSONAL_EXACT = new Set(['tel', 'dt', 'didong']);
/** Parts of a key name that mark a secret. */
const SECRET_PARTS = ['password', 'passwd', 'matkhau', 'secret', 'token', 'session', 'cookie', 'authorization', 'apikey', 'keyhash', 'signature', 'credential', 'privatekey'];
/** Keys that name a thing rather than hold it (an API key's name, a token's type). */
const NOT_SECRET = new Set(['apikeyname', 'apikeyprefix', 'tokentype', 'tokenurl', 'sessionttlseconds', 'tokenenv', 'passwordenv', 'secretenv', 'clientsecretenv', 'valueenv']);

/** Whether a field of this name holds a citizen's ID number, phone, fax or e-mail address. */
export function isPersonalKey(key: string): boolean {
  const k = normalizeKey(key);
  return PERSONAL_EXACT.has(k) || PERSONAL_PARTS.some((p) => k.includes(p));
}

/** Whether a field of this name holds a secret (never shown, not even in part). */
export function isSecretKey(key: string): boolean {
  const k = normalizeKey(key);
  return !NOT_SECRET.has(k) && SECRET_PARTS.some((p) => k.includes(p));
}

// ---------------------------------------------------------------------------------------------
// Values and free text

/**
 * Masks one value: keeps the last three digits of a number (and its separators), the first letter
 * and the domain of an e-mail address.
 *
 * @example
 * maskValue('079123456789') // '*********789'
 * maskValue('0912.345.678') // '****.***.678'
 * maskValue('an.nguyen@example.vn') // 'a***@example.vn'
 */
export function maskValue(value: string | number): string {
  const text = String(value);
  if (text.includes('@')) return maskEmails(text);
  let digits = 0;
  for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) digits++;
  if (digits <= 3) return '***';
  let seen = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) out += ++seen > digits - 3 ? text[i] : '*';
    else out += isLetter(c) || c === 43 ? '*' : text[i];
  }
  return out;
}

/**
 * Masks citizen ID numbers, phones and e-mail addresses in free text (a raw line, a message), and
 * redacts what follows a secret word ({@link redactSecretText}); linear in the length of the text.
 *
 * @example
 * maskText('CCCD 079123456789, an@x.vn') // 'CCCD *********789, a***@x.vn'
 * maskText('SĐT +84 912 345 679') // 'SĐT +** *** *** 679'
 */
export function maskText(text: string): string {
  return maskNumbers(maskEmails(redactSecretText(text)));
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Letters of any script (Vietnamese included), by a cheap test: ASCII letters or any non-ASCII letter-like code unit. */
const isLetter = (c: number) => isAsciiLetter(c) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f));
const isWord = (c: number) => isDigit(c) || isLetter(c) || c === 95; // _
const isLocalPart = (c: number) => isDigit(c) || isAsciiLetter(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45; // . _ % + -
const isDomain = (c: number) => isDigit(c) || isAsciiLetter(c) || c === 46 || c === 45;

/** `an.nguyen@example.vn` → `a***@example.vn`, each address once, in one pass. */
function maskEmails(text: string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && isLocalPart(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < text.length && isDomain(text.charCodeAt(end))) end++;
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
    const domain = text.slice(at + 1, end);
    const dot = domain.lastIndexOf('.');
    const tld = dot === -1 ? '' : domain.slice(dot + 1);
    if (start === at || dot <= 0 || tld.length < 2 || !/^[A-Za-z]+$/.test(tld)) continue;
    out += text.slice(copied, start) + text[start] + '***@' + domain;
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Words an ID number or phone may be glued to (`CCCD079188001235`, `SĐT0912345678`). */
const ID_WORDS = new Set(['cccd', 'cmnd', 'cmt', 'cc', 'sdt', 'dt', 'tel', 'hc', 'socccd', 'socmnd', 'dienthoai', 'phone', 'mobile', 'id']);
const SEPARATORS = new Set([' ', '.', '-', '\u00a0']);

/** Whether an ID word stands just before `start`, with a space or a colon between (`CMND 272 345 678`, `SĐT: 0912…`). */
function afterIdWord(text: string, start: number): boolean {
  let end = start;
  while (end > 0 && start - end < 3 && (text[end - 1] === ' ' || text[end - 1] === ':' || text[end - 1] === '\u00a0')) end--;
  return end < start && end > 0 && isLetter(text.charCodeAt(end - 1)) && idWordBefore(text, end);
}

/** `(+84) 912 345 679`: a country code in brackets just before the number. */
function afterPhonePrefix(text: string, start: number): boolean {
  return /\(\+84\)[ \u00a0]?$/.test(text.slice(Math.max(0, start - 7), start));
}

/** A sum of money (`1500000000 đồng`, `… VNĐ`): not an ID number. */
function isAmount(text: string, end: number): boolean {
  return /^[ \u00a0]?(?:đồng|đ\b|vnđ|vnd)/i.test(text.slice(end, end + 6));
}

/** The ID word (if any) that ends at `end` and starts after a non-word character. */
function idWordBefore(text: string, end: number): boolean {
  let start = end;
  while (start > 0 && end - start < 10 && isLetter(text.charCodeAt(start - 1))) start--;
  if (start > 0 && isWord(text.charCodeAt(start - 1))) return false;
  return ID_WORDS.has(normalizeKey(text.slice(start, end)));
}

/** Masks personal numbers in text that has no e-mail address left; one pass, no backtracking. */
function maskNumbers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const plus = c === 43 && i + 1 < n && isDigit(text.charCodeAt(i + 1));
    if (!isDigit(c) && !plus) {
      i++;
      continue;
    }
    // A run: digit groups joined by single separators, optionally after a '+'.
    const start = i;
    if (plus) i++;
    const groups: [number, number][] = [];
    const seps: string[] = [];
    for (;;) {
      const g = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      groups.push([g, i]);
      if (i + 1 < n && SEPARATORS.has(text[i] as string) && isDigit(text.charCodeAt(i + 1)) && groups.length < 8) {
        seps.push(text[i] as string);
        i++;
        continue;
      }
      break;
    }
    const end = i;
    const prev = start > 0 ? text.charCodeAt(start - 1) : -1;
    const prevPrev = start > 1 ? text.charCodeAt(start - 2) : -1;
    // Glued to a code or a word (`H48-261001-0001`, `000.31.48`, `abc123…`, `3A`): the groups joined
    // to that side by `.` or `-` are part of it, never personal data; a space ends the code.
    const gluedBefore = prev !== -1 && (isWord(prev) || ((prev === 46 || prev === 45) && prevPrev !== -1 && isWord(prevPrev)));
    const next = end < n ? text.charCodeAt(end) : -1;
    const afterNext = end + 1 < n ? text.charCodeAt(end + 1) : -1;
    const gluedAfter = next !== -1 && (isWord(next) || ((next === 46 || next === 45) && afterNext !== -1 && isWord(afterNext)));
    const glueWord = gluedBefore && isLetter(prev) && !plus && idWordBefore(text, start);
    let first = 0;
    let last = groups.length - 1;
    if (gluedBefore && !glueWord) {
      while (first <= last && first < seps.length && seps[first] !== ' ' && seps[first] !== '\u00a0') first++;
      first++;
    }
    if (gluedAfter) {
      while (last >= first && last > 0 && seps[last - 1] !== ' ' && seps[last - 1] !== '\u00a0') last--;
      last--;
    }
    if (first > last || isAmount(text, end)) continue;
    const free = groups.slice(first, last + 1);
    const freeSeps = seps.slice(first, last);
    const anyStart = glueWord || (first === 0 && (afterIdWord(text, start) || afterPhonePrefix(text, start)));
    const spans = personalSpans(text, plus && first === 0, free, freeSeps, anyStart);
    for (const [a, b] of spans) {
      out += text.slice(copied, a) + maskValue(text.slice(a, b));
      copied = b;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Which parts of a run are personal numbers. From the left, the longest stretch of two groups or
 * more that is written like an ID number or a phone (one kind of separator, groups of two digits
 * or more, 9–12 digits in all, starting with 0 or +84) is masked whole; a group that is no part of
 * such a stretch is masked alone when it has 9–12 digits (`ngày 15 079188001234`).
 */
function personalSpans(text: string, plus: boolean, groups: [number, number][], seps: string[], anyStart = false): [number, number][] {
  const len = (g: [number, number]) => g[1] - g[0];
  const spans: [number, number][] = [];
  const startOf = (idx: number) => (idx === 0 && plus ? (groups[0] as [number, number])[0] - 1 : (groups[idx] as [number, number])[0]);
  const withPlus = (idx: number) => idx === 0 && plus;
  const stretch = (idx: number, k: number): boolean => {
    const first = groups[idx] as [number, number];
    const startsLikeId = withPlus(idx) ? text.startsWith('84', first[0]) : text[first[0]] === '0' || (anyStart && idx === 0);
    if (!startsLikeId) return false;
    let total = 0;
    for (let j = idx; j < idx + k; j++) {
      const g = groups[j] as [number, number];
      if (len(g) < 2) return false;
      if (j > idx && seps[j - 1] !== seps[idx]) return false;
      total += len(g);
    }
    return total >= (withPlus(idx) ? 11 : 9) && total <= 12;
  };
  for (let idx = 0; idx < groups.length; ) {
    let k = groups.length - idx;
    while (k >= 2 && !stretch(idx, k)) k--;
    if (k >= 2) {
      spans.push([startOf(idx), (groups[idx + k - 1] as [number, number])[1]]);
      idx += k;
      continue;
    }
    const g = groups[idx] as [number, number];
    const single = withPlus(idx) ? text.startsWith('84', g[0]) && len(g) >= 11 && len(g) <= 12 : len(g) >= 9 && len(g) <= 12;
    if (single) spans.push([startOf(idx), g[1]]);
    idx++;
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Objects

/** Objects nested deeper than this are shown as `[too deep]` (a hostile record cannot overflow the stack). */
const MAX_DEPTH = 64;

/**
 * A deep copy with personal data masked and secrets replaced by `[redacted]`; errors become
 * `{ type, message, code }` with the message cleaned ({@link publicMessage}).
 *
 * @example
 * maskPersonalData({ applicant: { idNumber: '079123456789' } }) // { applicant: { idNumber: '*********789' } }
 */
export function maskPersonalData<T>(value: T): T {
  return walk(value, new WeakSet<object>(), undefined, 0) as T;
}

function walk(value: unknown, seen: WeakSet<object>, key: string | undefined, depth: number): unknown {
  if (key !== undefined && value !== null && value !== undefined && value !== '' && isSecretKey(key)) return '[redacted]';
  if (typeof value === 'string') return key !== undefined && value !== '' && isPersonalKey(key) ? maskValue(value) : maskText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return key !== undefined && isPersonalKey(key) ? maskValue(String(value)) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return errorForPeople(value);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, seen, undefined, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: walk(v, seen, k, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** An error as a log line or an API answer shows it: its type, cleaned message, code and causes. */
function errorForPeople(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name || error.constructor?.name || 'Error', message: publicMessage(error) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out['code'] = code;
  return out;
}

/**
 * A viewer's copy of a dossier: citizen ID numbers, phones, faxes and e-mail addresses masked in
 * the applicant's fields and in free text (a summary may quote a CCCD number).
 *
 * @example
 * maskCitizenData(dossier).applicant.idNumber // '*********789'
 */
export function maskCitizenData(dossier: Dossier): Dossier {
  const a = dossier.applicant;
  const maybe = (v: string | null, f: (s: string) => string): string | null => (v === null || v === '' ? v : f(v));
  return {
    ...dossier,
    applicant: {
      ...a,
      idNumber: maybe(a.idNumber, maskValue),
      phone: maybe(a.phone, maskValue),
      fax: maybe(a.fax, maskValue),
      email: maybe(a.email, maskValue),
      identifiers: a.identifiers.map((i) => ({ ...i, number: maybe(i.number, maskValue) })),
    },
    summary: maskText(dossier.summary),
    otherInfo: maybe(dossier.otherInfo, maskText),
    note: maybe(dossier.note, maskText),
    returnInfo: maybe(dossier.returnInfo, maskText),
    progress: dossier.progress.map((p) => ({ ...p, action: maskText(p.action) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Peer answers and messages

/** The most of a message (a portal's answer, an error) that is stored or shown. */
export const MAX_MESSAGE_CHARS = 4000;

/**
 * `text` cut to `max` characters (on a character boundary) with a note of the original size.
 *
 * @example
 * capText('x'.repeat(10_000), 100) // 'xxx…x… [cut: 10.000 characters in all]'
 */
export function capText(text: string, max = MAX_MESSAGE_CHARS): string {
  return fits(text, max) ? text : cutWithNote(text, max, text.length);
}

/** A text already cut (it ends with the note) is not cut again: the note keeps the original size. */
const CUT_NOTE = /… \[cut: [\d.]+ characters in all\]$/;
const fits = (text: string, max: number) => text.length <= max || (text.length <= max + 48 && CUT_NOTE.test(text.slice(-48)));

function cutWithNote(text: string, max: number, originalLength: number): string {
  let cut = Math.min(max, text.length);
  const c = text.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--; // never split a surrogate pair
  return `${text.slice(0, cut)}… [cut: ${originalLength.toLocaleString('vi-VN')} characters in all]`;
}

/** `"password": "…"`, `password=…`, `<password>…</password>` after any secret word (bounded lengths: linear). */
const SECRET_WORD = '[\\w-]{0,24}?(?:pass(?:word|wd)?|pwd|mat_?khau|matKhau|secret|client_secret|token|access_token|refresh_token|id_token|session(?:_?id|Token)?|jsessionid|api[_-]?key|x-api-key|authorization|cookie|set-cookie|signature)';
/** A quote as JSON, a script or an HTML page writes it (`"`, `'`, `&quot;`, `&#34;`, `&#39;`). */
const Q = `(?:"|'|&quot;|&#34;|&#39;|&#x27;)`;
const SECRET_JSON = new RegExp(`(${Q}${SECRET_WORD}${Q}\\s{0,8}:\\s{0,8})(${Q}[^"'&<\\r\\n]{0,4096}?${Q}|[^,}\\s&<]{1,4096})`, 'gi');
/** `password: x` in a dump or a log line (no quotes). */
const SECRET_COLON = new RegExp(`((?:^|[\\s{,;(])${SECRET_WORD}\\s{0,4}:\\s{1,4})(?![\\["'{&\\[])[^\\s,;}<"'&]{1,4096}`, 'gi');
const SECRET_FORM = new RegExp(`((?:^|[?&;,\\s])${SECRET_WORD}=)[^&\\s;,"'<]{1,4096}`, 'gi');
/** `<password>…</password>`, also namespaced (`<ns1:matKhau>`) and with attributes. */
const SECRET_XML = new RegExp(`(<((?:[\\w-]{1,32}:)?${SECRET_WORD})(?:\\s[^<>]{0,256})?>)[^<]{0,4096}(</\\2\\s{0,4}>)`, 'gi');
const SECRET_HEADER = /\b((?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-lienthong-signature)\s{0,4}:\s{0,4})(?:(?:Bearer|Basic|Token)\s{1,4})?[^\s"<>,]{1,4096}/gi;
/** A bearer token, or Basic credentials (checked to be Base64 of `user:password`, so "Basic information" stays). */
const BEARER = /\b(Bearer|Token|Basic)\s{1,4}([A-Za-z0-9._~+/=-]{8,4096})/gi;
const isBasicCredentials = (token: string) => /^[A-Za-z0-9+/]+={0,2}$/.test(token) && token.length % 4 === 0 && Buffer.from(token, 'base64').toString('latin1').includes(':');
const JWT = /\beyJ[A-Za-z0-9_-]{5,2048}\.[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{0,4096}/g;

/** A cheap first look: most text names no secret word, and is left alone. */
const ANY_SECRET_WORD = /pass|pwd|khau|secret|token|session|api.?key|authoriz|cookie|signature|bearer|basic|eyJ/i;

/**
 * `text` with anything that follows a secret word replaced by `[redacted]`: JSON fields, form and
 * query fields, XML elements, HTTP headers, bearer tokens and JWTs. Every pattern starts at a rare
 * character (`"`, `<`, `&`, a space, a word boundary) and has bounded repeats: linear time.
 *
 * @example
 * redactSecretText('{"user":"u","password":"hunter2"}') // '{"user":"u","password":"[redacted]"}'
 */
export function redactSecretText(text: string): string {
  if (!ANY_SECRET_WORD.test(text)) return text;
  return text
    .replace(SECRET_JSON, '$1"[redacted]"')
    .replace(SECRET_HEADER, '$1[redacted]')
    .replace(SECRET_COLON, '$1[redacted]')
    .replace(SECRET_FORM, '$1[redacted]')
    .replace(SECRET_XML, '$1[redacted]$3')
    .replace(BEARER, (m, scheme: string, token: string) => (scheme.toLowerCase() === 'basic' && !isBasicCredentials(token) ? m : `${scheme} [redacted]`))
    .replace(JWT, '[redacted]');
}

/**
 * A peer's answer or an error message as it may be stored and shown: cut to
 * {@link MAX_MESSAGE_CHARS}, known secret values and their encodings removed, anything that follows
 * a secret word replaced by `[redacted]`, personal data masked.
 *
 * @example
 * cleanMessage('{"username":"u","password":"hunter2"} bị từ chối', ['hunter2']) // '{"username":"u","password":"[redacted]"} bị từ chối'
 */
export function cleanMessage(text: string, secrets: readonly string[] = [], max = MAX_MESSAGE_CHARS): string {
  // Cut first (with room for what the patterns need to see), so every pattern runs on bounded text.
  let out = text.length > max * 2 ? text.slice(0, max * 2) : text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), html, Buffer.from(secret).toString('base64')])) out = out.split(form).join('[redacted]');
  }
  out = maskText(out);
  return fits(text, max) && fits(out, max) ? out : cutWithNote(out, max, text.length);
}

/** SQLSTATE classes as people may read them (PostgreSQL's appendix A). */
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'the connection to the database failed',
  '22': 'a value has a form the database refuses',
  '23': 'a value breaks a rule of the ledger',
  '25': 'the transaction was in a wrong state',
  '40': 'the transaction conflicted with another one; it may be tried again',
  '42': 'the statement does not fit the database (is the schema migrated?)',
  '53': 'the database is out of resources (disk, memory or connections)',
  '54': 'a value or statement is larger than the database allows',
  '57': 'the database stopped or refused the statement',
  XX: 'the database reported an internal error',
};

/** Drizzle's and postgres.js's wording of a failed statement: what follows never reaches people. */
const SQL_MARKERS = /\b(?:Failed query:|params:|select\s[\s\S]{0,200}\sfrom\s|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s|with\s+\S+\s+as\s*\()/i;

/**
 * The message of an error as a user may see it: never an SQL statement or its parameters (a
 * database error is named by its SQLSTATE and its database message), cleaned by {@link cleanMessage}.
 *
 * @example
 * publicMessage(new Error('Failed query: insert into dossiers … params: Nguyễn Văn An')) // 'database error'
 */
export function publicMessage(error: unknown): string {
  const chain: unknown[] = [];
  for (let cur: unknown = error, d = 0; cur && d < 6; d++) {
    chain.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  const top = chain[0];
  const message = top instanceof Error ? top.message : typeof top === 'object' && top !== null && typeof (top as { message?: unknown }).message === 'string' ? (top as { message: string }).message : String(top);
  const sqlstate = (e: unknown) => typeof (e as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);
  if (!SQL_MARKERS.test(message.slice(0, 20_000)) && !sqlstate(top)) return cleanMessage(message);
  // A database error (alone or under the query wrapper): its SQLSTATE and a fixed wording of its class (the
  // database's own message may quote the refused value: a citizen's name), plus the constraint's name.
  for (const e of chain) {
    if (!sqlstate(e)) continue;
    const code = (e as { code: string }).code;
    const m = (e as { message?: unknown }).message;
    const named = (e as { constraint_name?: unknown; constraint?: unknown }).constraint_name ?? (e as { constraint?: unknown }).constraint;
    const constraint = typeof named === 'string' ? named : typeof m === 'string' ? /constraint "([\w.-]{1,63})"/.exec(m)?.[1] : undefined;
    return `database error ${code}: ${SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'the database refused the statement'}${constraint ? ` (constraint ${constraint})` : ''}`;
  }
  return 'database error (the statement and its values are not shown)';
}
