/** CSV fields: one record split into its fields, and the separator of a header line. */

/**
 * Splits one CSV record into fields (quotes, doubled quotes, separators and line ends inside quotes).
 *
 * @example
 * splitFields('a;"b;""c""";d', ';'); // ['a', 'b;"c"', 'd']
 */
export function splitFields(text: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"') {
        if (text.charAt(i + 1) === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** The separator used most in a header line, outside quotes (`,` when none). */
export function detectDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = splitFields(header, d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}
