/**
 * The one place numbers, percentages and times are written for people (reports, dashboard, CLI):
 * "." groups thousands, "," is the decimal mark, a space precedes "%" and every percentage has two
 * decimals (136.583; 97,51 %; 12,50 %); instants are shown in Vietnam time (Asia/Ho_Chi_Minh, UTC+7
 * all year) as `dd/MM/yyyy HH:mm`, the form `lienthong deadline --received` also accepts. Written out
 * rather than left to Intl so the output does not depend on the ICU data of the Node build.
 */
import { formatDateVi, localDateOf, localMinutesOf } from '../../rules/index.ts';

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** @example formatCount(136583) // '136.583' */
export function formatCount(n: number): string {
  return (n < 0 ? '-' : '') + group(String(Math.abs(Math.round(n))));
}

/** @example formatDecimal(11.666) // '11,67' */
export function formatDecimal(x: number, decimals = 2): string {
  const [int = '0', frac = ''] = Math.abs(x).toFixed(decimals).split('.');
  return (x < 0 ? '-' : '') + group(int) + (decimals > 0 ? `,${frac}` : '');
}

/** @example formatPercent(97.51) // '97,51 %'; formatPercent(12.5) // '12,50 %'; formatPercent(null) // '—' */
export function formatPercent(x: number | null): string {
  return x === null ? '—' : `${formatDecimal(x)} %`;
}

/** @example formatInstantVi('2026-11-23T03:05:00.000Z') // '23/11/2026 10:05' */
export function formatInstantVi(instant: string): string {
  const m = Math.floor(localMinutesOf(instant));
  return `${formatDateVi(localDateOf(instant))} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * An instant of any shape a row may hold (ISO text, a database timestamp text, a Date) for people;
 * '—' when there is none, the value itself when it is not a time.
 * @example formatWhen('2026-11-23 01:05:00+00') // '23/11/2026 08:05' ; formatWhen(null) // '—'
 */
export function formatWhen(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = value instanceof Date ? value : new Date(String(value).replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/([+-]\d{2})$/, '$1:00'));
  if (Number.isNaN(d.getTime())) return String(value);
  return formatInstantVi(d.toISOString());
}

export { formatDateVi };
