/**
 * Vietnamese number formatting for reports: "." groups thousands, "," is the decimal mark, and a
 * space precedes "%" (136.583; 97,51 %). Written out rather than left to Intl so the output does
 * not depend on the ICU data of the Node build.
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

/** @example formatPercent(97.51) // '97,51 %'; formatPercent(null) // '—' */
export function formatPercent(x: number | null): string {
  return x === null ? '—' : `${formatDecimal(x)} %`;
}

/** @example formatInstantVi('2026-11-23T03:05:00.000Z') // '10:05 23/11/2026' */
export function formatInstantVi(instant: string): string {
  const m = Math.floor(localMinutesOf(instant));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')} ${formatDateVi(localDateOf(instant))}`;
}

export { formatDateVi };
