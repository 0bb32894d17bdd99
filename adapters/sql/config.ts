/**
 * Options and cursor of the `sql` adapter: a view or query in the local system's database.
 */
import { z } from 'zod';
import { CodeTablesSchema, MappingSpecSchema } from '../../src/sdk/index.ts';

/** `name` or `schema.name`: identifiers are quoted by the dialect, never taken as SQL. */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'a table or view name (schema.name), letters, digits and _');
const column = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a column name: letters, digits and _');

export const SqlOptionsSchema = z
  .strictObject({
    dialect: z.enum(['postgres', 'mysql']),
    /** Connection URL (`postgres://user@host:5432/db`, `mysql://user@host:3306/db`); secret. Usually `urlEnv`. */
    url: z.string().regex(/^(postgres|postgresql|mysql):\/\//, 'a postgres:// or mysql:// URL').optional(),
    /** Environment variable holding `url` (resolved by the pipeline). */
    urlEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
    /** The password, when not in the URL (secret); usually `passwordEnv`. */
    password: z.string().optional(),
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
    /** The view or table to read… */
    relation: identifier.optional(),
    /** …or a SELECT (the operator's own configuration; wrapped as a sub-query, values always bound). */
    query: z.string().min(1).optional(),
    /** The column holding the dossier code (MaHoSo): record key and `list` key ranges. */
    keyColumn: column,
    /** The last-modified column of the keyset (modified, id). */
    modifiedColumn: column,
    /** How `modifiedColumn` compares: a timestamp/date (default), a number (row version) or text. */
    modifiedType: z.enum(['timestamp', 'number', 'text']).default('timestamp'),
    /** Tie-breaker column of the keyset (default `keyColumn`); unique with the modified time. */
    idColumn: column.optional(),
    /** Declared mapping over the columns; its fields override those guessed from column names. */
    mapping: MappingSpecSchema.partial().optional(),
    tables: CodeTablesSchema.partial().optional(),
    /** Formats of dates held as text; timestamps arrive as ISO text. */
    dateFormat: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default(['dd/MM/yyyy HH:mm[:ss]']),
    /** Query timeout. */
    timeoutMs: z.number().int().min(100).default(30_000),
  })
  .refine((o) => (o.relation === undefined) !== (o.query === undefined), { message: 'set exactly one of relation or query', path: ['relation'] })
  .refine((o) => o.url !== undefined, { message: 'set urlEnv (the environment variable holding the connection URL)', path: ['urlEnv'] });
export type SqlOptions = z.infer<typeof SqlOptionsSchema>;

/** Where the keyset stands: the last row's modified value and id, as the database prints them. */
export interface SqlCursor {
  modified: string;
  id: string;
}
