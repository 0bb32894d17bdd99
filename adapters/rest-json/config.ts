/**
 * Options and cursor of the `rest-json` adapter: a local system's REST/JSON API described by
 * declaration (auth, paging, modified-since, records path, field mapping), no code.
 * Secrets never live in the file: `*Env` names the environment variable, the pipeline resolves it
 * into the sibling option (`passwordEnv` → `password`, `tokenEnv` → `token`, `apiKeyEnv` → `apiKey`,
 * `clientSecretEnv` → `clientSecret`).
 */
import { z } from 'zod';
import { HttpRetrySchema } from '../../src/sdk/http.ts';
import { CodeTablesSchema, MappingSpecSchema } from '../../src/sdk/mapping/index.ts';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name');

/** How to authenticate; the secret itself is a top-level option (`password`, `token`, `apiKey`). */
export const RestAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  /** Basic `username` + the `password` option. */
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1) }),
  /** `Authorization: Bearer` + the `token` option. */
  z.strictObject({ type: z.literal('bearer') }),
  /** The `apiKey` option in a header or a query parameter named `name`. */
  z.strictObject({ type: z.literal('apiKey'), in: z.enum(['header', 'query']).default('header'), name: z.string().min(1) }),
  z.strictObject({
    type: z.literal('session'),
    /** Login call: POST `loginPath` with `loginBody` (JSON; `{username}` and `{password}` filled in). */
    loginPath: z.string().min(1),
    loginBody: z.string().default('{"username":"{username}","password":"{password}"}'),
    username: z.string().min(1),
    /** Where the token is in the login answer (`token`, `data.accessToken`). */
    tokenPath: z.string().min(1).default('token'),
    /** Header that carries it on every call, with a prefix (`Authorization: Bearer …`). */
    header: z.string().default('authorization'),
    prefix: z.string().default('Bearer '),
  }),
  /**
   * OAuth2 client credentials (iGate connectors, LGSP/NDXP proxies): form-encoded POST to `tokenUrl`
   * (absolute, or a path under `baseUrl`), the secret from the `clientSecret` option (`clientSecretEnv`,
   * written beside `auth` like `passwordEnv`); the token kept until shortly before `expires_in`, fetched
   * again once on a 401.
   */
  z.strictObject({
    type: z.literal('oauth2-client-credentials'),
    tokenUrl: z.string().min(1),
    clientId: z.string().min(1),
    scope: z.string().min(1).optional(),
    /** Accepted here for the same shape as `targets[].auth`; resolved only beside `auth` (see README). */
    clientSecretEnv: envName.optional(),
  }),
]);
export type RestAuth = z.infer<typeof RestAuthSchema>;

export const RestPagingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  /** `?page=1&size=100`; ends on a short page (or `totalPath`). */
  z.strictObject({ type: z.literal('page'), pageParam: z.string().default('page'), sizeParam: z.string().default('size'), firstPage: z.number().int().min(0).default(1), size: z.number().int().min(1).max(10_000).default(100) }),
  /** `?offset=0&limit=100`. */
  z.strictObject({ type: z.literal('offset'), offsetParam: z.string().default('offset'), limitParam: z.string().default('limit'), size: z.number().int().min(1).max(10_000).default(100) }),
  /** `?cursor=<token from the previous answer at cursorPath>`; ends when the answer has none. */
  z.strictObject({ type: z.literal('cursor'), cursorParam: z.string().default('cursor'), cursorPath: z.string().default('next'), sizeParam: z.string().optional(), size: z.number().int().min(1).max(10_000).default(100) }),
  /** The next page's URL at `nextPath` in the body, or in the `Link: <…>; rel="next"` header when no path is given. */
  z.strictObject({ type: z.literal('link'), nextPath: z.string().optional() }),
]);
export type RestPaging = z.infer<typeof RestPagingSchema>;

/** `raw` = records already in the portal's own format (like `dvcqg-file`). */
const MappingOptionSchema = z.union([z.literal('portal'), MappingSpecSchema]);

export const RestJsonOptionsSchema = z.strictObject({
  baseUrl: z.url(),
  /** The records endpoint, relative to `baseUrl`. */
  path: z.string().default(''),
  method: z.enum(['GET', 'POST']).default('GET'),
  query: z.record(z.string(), z.string()).default({}),
  headers: z.record(z.string(), z.string()).default({}),
  /** POST body (JSON text) with `{page}`, `{size}`, `{offset}`, `{cursor}`, `{since}` filled in. */
  body: z.string().optional(),
  auth: RestAuthSchema.default({ type: 'none' }),
  /** Secrets by reference: `passwordEnv`, `tokenEnv`, `apiKeyEnv` name environment variables the pipeline resolves into these. */
  passwordEnv: envName.optional(),
  password: z.string().min(1).optional(),
  tokenEnv: envName.optional(),
  token: z.string().min(1).optional(),
  apiKeyEnv: envName.optional(),
  apiKey: z.string().min(1).optional(),
  clientSecretEnv: envName.optional(),
  clientSecret: z.string().min(1).optional(),
  paging: RestPagingSchema.default({ type: 'none' }),
  /** Where the records array is in an answer (`data.items`); empty = the answer is the array. */
  recordsPath: z.string().default(''),
  /** Where the total count is, when the API gives one (ends paging without a short page). */
  totalPath: z.string().optional(),
  /** Incremental pulls: the parameter that takes "changed since", and how to write it. */
  modifiedSince: z
    .strictObject({
      param: z.string().min(1),
      /** Format of the parameter: `iso`, `epoch-ms`, or a pattern (`dd/MM/yyyy HH:mm:ss`), Vietnam time. */
      format: z.string().default('iso'),
      /** Raw path of a record's modification time; the watermark becomes the largest seen. */
      field: z.string().optional(),
      fieldFormat: z.string().default('iso'),
      /** Re-read this much before the watermark (clock skew, late commits). */
      overlapMinutes: z.number().int().min(0).default(10),
      /** The first run's "since" (ISO); absent = everything. */
      initial: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
  /** Raw path of the record's key (MaHoSo); default: the mapping's MaHoSo path. */
  keyPath: z.string().optional(),
  mapping: MappingOptionSchema.default('portal'),
  /** The source's code tables (status + sub-status → 1–10, procedure and unit codes), over the mapping's. */
  tables: CodeTablesSchema.optional(),
  /**
   * Tell the source a record is stored (iGate's `xacnhantrangthainhan`): one call per record after its
   * page is durably in the ledger; `{id}` (the value at `idPath`) and `{code}` (the record key, MaHoSo)
   * are filled in the body's strings and the path. A failed call is a warning; the record is sent
   * again by the source and acknowledged on a later run.
   */
  acknowledge: z
    .strictObject({
      method: z.enum(['POST', 'PUT', 'PATCH', 'GET']).default('POST'),
      path: z.string().min(1),
      /** JSON template; a string that is exactly `"{id}"` keeps the id's JSON type (a number stays a number). */
      body: z.unknown().optional(),
      query: z.record(z.string(), z.string()).default({}),
      /** Raw path of the record's id at the source (`_id`, `data.id`). */
      idPath: z.string().min(1).default('id'),
    })
    .optional(),
  timeoutMs: z.number().int().min(100).default(30_000),
  retry: HttpRetrySchema.strict().default({ maxAttempts: 5, minDelayMs: 500, maxDelayMs: 30_000 }),
}).superRefine((o, ctx) => {
  // Secrets are resolved from the top level only (src/sdk/secrets.ts): say where the name goes.
  if (o.auth.type === 'oauth2-client-credentials' && o.auth.clientSecretEnv !== undefined && o.clientSecretEnv === undefined && o.clientSecret === undefined) {
    ctx.addIssue({ code: 'custom', path: ['auth', 'clientSecretEnv'], message: `rest-json reads secrets beside auth: write "clientSecretEnv": "${o.auth.clientSecretEnv}" at the top of options (like passwordEnv)` });
  }
});
export type RestJsonOptions = z.infer<typeof RestJsonOptionsSchema>;

/** Where the next page is. */
export type RestPageState = { page: number } | { offset: number } | { cursor: string | null } | { url: string } | { done: true };

export interface RestJsonCursor {
  /** Completed runs have read every change up to here (ISO). */
  watermark: string | null;
  /** The run in progress; `skip` = records of the `next` page already handed over (a page larger than the pipeline's). */
  run?: { since: string | null; startedAt: string; next: RestPageState; maxSeen: string | null; skip?: number };
}

/** Options that hold secrets. */
export const REST_SECRET_FIELDS = ['password', 'token', 'apiKey', 'clientSecret'] as const;
