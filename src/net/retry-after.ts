/**
 * The one reader of HTTP `Retry-After` (RFC 9110 §10.2.3) for every peer of the gateway: sources
 * (src/sdk/http.ts) and portals (src/portal/classify.ts). A value is delay-seconds (`120`; a
 * decimal fraction such as `1.5` is read too, as some servers send it) or an HTTP-date in any of
 * the three forms a recipient must accept (§5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
 * the obsolete RFC 850 form `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
 * Dates are always read as GMT, whatever the host's zone.
 *
 * Anything else (a negative number, `+5`, `soon`, an ISO date) is unreadable: `undefined`, and the
 * caller falls back to its own backoff. A date in the past is `0`. A wait longer than
 * {@link RETRY_AFTER_CEILING_MS} is read as that ceiling, so that no timer overflows and no lease
 * is extended by centuries; how much of it a retry loop honours is its policy (src/net/retry.ts).
 */

/** The longest wait a `Retry-After` is read as: one day (a timer holds at most 24.8 days). */
export const RETRY_AFTER_CEILING_MS = 86_400_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/** Milliseconds since the epoch of a date written in GMT; undefined when a field is out of range (31 Feb, 25:00). */
function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mon = MONTHS.indexOf(month.toLowerCase());
  const at = Date.UTC(year, mon, day, h, m, s);
  const d = new Date(at);
  // Date.UTC rolls over (31 Feb → 3 Mar, 24:00 → the next day); a date that does not round-trip is no date.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== mon || d.getUTCDate() !== day || d.getUTCHours() !== h || d.getUTCMinutes() !== m || d.getUTCSeconds() !== s) return undefined;
  return at;
}

/**
 * An HTTP-date as milliseconds since the epoch (GMT, whatever the host's zone); undefined when the
 * text is none of the three forms.
 *
 * @example
 * parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'); // 784111777000
 * parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'); // 784111777000
 * parseHttpDate('Sun Nov  6 08:49:37 1994'); // 784111777000
 */
export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC_850.exec(text);
  if (m) {
    // Two-digit year (RFC 9110 §5.6.7): more than 50 years ahead means the most recent past year with those digits.
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/**
 * `Retry-After` as milliseconds to wait from `now`: undefined when absent or unreadable, `0` for a
 * date already past, at most {@link RETRY_AFTER_CEILING_MS}.
 *
 * @example
 * parseRetryAfterMs('120'); // 120000
 * parseRetryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('2015-10-21T07:28:00Z')); // 10000
 * parseRetryAfterMs('soon'); // undefined
 */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const ms = Math.round(Number(v) * 1000);
    return Number.isFinite(ms) ? Math.min(ms, RETRY_AFTER_CEILING_MS) : RETRY_AFTER_CEILING_MS;
  }
  const at = parseHttpDate(v, now);
  return at === undefined ? undefined : Math.min(Math.max(0, at - now), RETRY_AFTER_CEILING_MS);
}
