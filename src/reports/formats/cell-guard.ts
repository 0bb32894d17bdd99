/**
 * The one guard every CSV and XLSX writer puts its text cells through (OWASP CSV injection): a cell
 * beginning with `=`, `+`, `-`, `@`, a tab or a carriage return would be run by Excel as a formula
 * (`=HYPERLINK(…)` sending a neighbouring cell away), so it gets a leading `'` and, in CSV, quotes.
 *
 * Numbers: in XLSX they are numeric cells and never pass here. In CSV a figure the gateway wrote
 * (`-3`, `-1.234`, `-2,5 %`) is left as it is when the whole cell is a number, so that Excel still
 * reads it as one; anything else starting so (`-2+3`) is neutralised.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PURE_NUMBER = /^[+-]?\d+(?:[.,]\d+)*(?: ?%)?$/;

/** The text, with a leading `'` when a spreadsheet would read it as a formula. */
export function neutralizeCell(text: string): string {
  return FORMULA_START.test(text) && !PURE_NUMBER.test(text) ? `'${text}` : text;
}

/** One CSV field: neutralised, and quoted when neutralised or holding a quote, separator or line end. */
export function csvField(text: string): string {
  const safe = neutralizeCell(text);
  return safe !== text || /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record (comma-separated) of {@link csvField}s. */
export function csvRecord(cells: readonly string[]): string {
  return cells.map(csvField).join(',');
}

/** An XLSX cell value: text neutralised; numbers, dates and blanks as they are (numeric cells are never formulas). */
export function xlsxValue<T>(value: T): T | string {
  return typeof value === 'string' ? neutralizeCell(value) : value;
}
