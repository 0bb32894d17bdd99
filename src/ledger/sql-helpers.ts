import { sql, type SQL } from 'drizzle-orm';

/**
 * A `text[]` built from one jsonb parameter. drizzle expands a JS array into a list of
 * parameters, which neither driver can take as an array; one jsonb parameter works on both.
 */
export function textArray(values: readonly string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}
