/**
 * Options and cursor of the `opencps` adapter (OpenCPS v2 REST API, `/o/rest/v2`).
 * The password never lives in the file: `passwordEnv` names the environment variable and the
 * pipeline resolves it into `password` (accepted directly too, marked secret).
 */
import { z } from 'zod';
import { UNIT_CODE_RE, type StatusCode } from '../../schemas/dossier.ts';
import { HttpRetrySchema } from '../../src/sdk/http.ts';
import { CodeTablesSchema } from '../../src/sdk/mapping/index.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const national = z.number().int().min(1).max(10);

/**
 * OpenCPS `dossierStatus` → national status 1–10 (opencps-api.md §3.2, OpenCPS's own switch).
 * `interoperating` (processed by another agency) and `posting` (result on its way by post) are
 * unmapped in OpenCPS; we default them to 4 and 9. Sources disagree (portal-contract §6.1):
 * override per source with `statusMap` / `subStatusMap` (a sub-status wins over its status).
 */
export const OPENCPS_DEFAULT_STATUS_MAP: Readonly<Record<string, StatusCode>> = {
  new: 1,
  receiving: 2,
  unresolved: 3,
  processing: 4,
  interoperating: 4,
  waiting: 5,
  paying: 6,
  cancelled: 7,
  denied: 8,
  releasing: 9,
  posting: 9,
  done: 10,
};

/** Statuses the nightly scan lists whole, to catch step changes that move no date (§5). */
export const OPENCPS_OPEN_STATUSES = ['new', 'receiving', 'processing', 'interoperating', 'waiting', 'paying', 'releasing', 'posting'];

export const OpencpsOptionsSchema = z
  .strictObject({
    /** The API base, e.g. `https://motcua.example.gov.vn/o/rest/v2`. */
    baseUrl: z.url(),
    /** The Liferay site id sent as the `groupId` header; without it every search is empty. */
    groupId: z.union([z.string().regex(/^\d+$/, 'digits'), z.number().int().positive()]).transform(String),
    username: z.string().min(1),
    /** Name of the environment variable holding the password (resolved by the pipeline). */
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
    /** The password itself, when the pipeline resolved it (secret: never shown). */
    password: z.string().min(1).optional(),
    /** Always sent explicitly (§2.1.3): without it drafts, copies and scoped rows vary. */
    originality: z.string().regex(/^-?\d+(,-?\d+)*$/).default('1,2,3'),
    /** Agency codes to partition every query by (keeps each under the result window); empty = all. */
    agencies: z.array(z.string().min(1)).default([]),
    /** First day of the first run's sweep (default: 30 days before `until`). */
    startDate: day.optional(),
    /** Last day to pull (default: today in Vietnam). */
    until: day.optional(),
    /** Days re-read before the last completed run's end (index lag, server time zone: §4). */
    overlapDays: z.number().int().min(0).max(31).default(1),
    /** Days per date-window query. */
    windowDays: z.number().int().min(1).max(92).default(7),
    dateFields: z.array(z.enum(['receive', 'release', 'finish'])).min(1).default(['receive', 'release', 'finish']),
    openStatuses: z.array(z.string().min(1)).default(OPENCPS_OPEN_STATUSES),
    /** Rows per API call (`end − start`): every row costs the server several look-ups. */
    pageSize: z.number().int().min(1).max(500).default(50),
    /** The server's search result window (Elasticsearch `index.max_result_window`). */
    maxWindowRows: z.number().int().min(1).default(10_000),
    statusMap: z.record(z.string(), national).default({}),
    subStatusMap: z.record(z.string(), national).default({}),
    /** `govAgencyCode` → official unit code (`000.00.00.H48`). */
    unitCodes: z.record(z.string(), z.string().regex(UNIT_CODE_RE, 'a unit code like 000.00.00.H48')).default({}),
    /** Local `serviceCode` → national procedure code (MaTTHC), when they differ. */
    procedureCodes: z.record(z.string(), z.string().min(1)).default({}),
    /** The SDK's code tables (`status`, `subStatus` as `status/sub` or `sub`, `procedure`, `unit`), over the maps above. */
    tables: CodeTablesSchema.optional(),
    /** `stepCode` → national status of a history entry (default: 4, the last entry the dossier's status). */
    stepStatusMap: z.record(z.string(), national).default({}),
    /**
     * Interconnection copies (`originDossierId` ≠ 0 or an `originDossierNo`): `skip` (default) reads
     * and keeps them but never pushes them (OpenCPS itself does not; the origin is counted on DVCQG).
     */
    interconnection: z.enum(['skip', 'push']).default('skip'),
    /** Dossiers submitted on DVCQG (`systemId` 5): `skip` (default) keeps them unpushed (DVCQG counts them already). */
    dvcqgOrigin: z.enum(['skip', 'push']).default('skip'),
    fetchDetail: z.boolean().default(true),
    fetchHistory: z.boolean().default(true),
    detailConcurrency: z.number().int().min(1).max(16).default(4),
    timeoutMs: z.number().int().min(100).default(30_000),
    retry: HttpRetrySchema.strict().default({ maxAttempts: 5, minDelayMs: 500, maxDelayMs: 30_000 }),
  })
  .refine((o) => o.password !== undefined || o.passwordEnv !== undefined, { message: 'set passwordEnv (the environment variable holding the password)', path: ['passwordEnv'] });

export type OpencpsOptions = z.infer<typeof OpencpsOptionsSchema>;
export type OpencpsDateField = 'receive' | 'release' | 'finish';

/** One listing query of a run (JSON: it lives in the cursor). */
export type OpencpsQuery =
  | { kind: 'window'; field: OpencpsDateField; from: string; to: string; agency?: string }
  | { kind: 'open'; statuses: string[]; agency?: string };

export interface OpencpsCursor {
  /** Last day (YYYY-MM-DD) covered by a completed run; the next run starts `overlapDays` before it. */
  doneUntil: string | null;
  /** The run in progress: its remaining queries (the first is current) and the next row offset. */
  run?: { until: string; queries: OpencpsQuery[]; start: number };
}
