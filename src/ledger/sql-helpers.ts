import { sql, type SQL } from 'drizzle-orm';

/**
 * A `text[]` built from one jsonb parameter. drizzle expands a JS array into a list of
 * parameters, which neither driver can take as an array; one jsonb parameter works on both.
 */
export function textArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

/**
 * A large JSON document (a page of rows) as one jsonb parameter. On PGlite the text travels as its
 * UTF-8 bytes, a binary `text` parameter (see `textParameter` in pglite-worker.mjs): PGlite would otherwise
 * measure the string's UTF-8 length twice in JavaScript, a loop over every character of the page.
 */
export function bulkJson(kind: 'pglite' | 'postgres', text: string): SQL {
  return sql`${bulkText(kind, text)}::jsonb`;
}

/** A large text as one `text` parameter, as UTF-8 bytes on PGlite (see {@link bulkJson}). */
export function bulkText(kind: 'pglite' | 'postgres', text: string): SQL {
  return kind === 'pglite' ? sql`${Buffer.from(text, 'utf8')}::text` : sql`${text}::text`;
}
