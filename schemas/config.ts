/**
 * The configuration file (`lienthong.config.json`). Validated once; every problem is listed.
 * Secrets never live in the file: a target names the environment variable that holds them.
 */
import { z } from 'zod';

export const RetryConfigSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100).default(8),
  minDelayMs: z.number().int().min(0).default(500),
  maxDelayMs: z.number().int().min(0).default(60_000),
});

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name');

/**
 * How the gateway proves itself on every call to a target (issue #10 item 1). Secrets come from
 * the environment, never from the file; they are never logged or stored.
 */
export const TargetAuthSchema = z.discriminatedUnion('type', [
  /** Nothing: a trusted network (TD, HG bare-array endpoints). Default of bare-array targets. */
  z.strictObject({ type: z.literal('none') }),
  /** The session login of the session style (`loginPath`, `username`, `passwordEnv`). Default of session targets. */
  z.strictObject({ type: z.literal('session') }),
  /** `Authorization: Bearer <token>`; the token from `tokenEnv`. */
  z.strictObject({ type: z.literal('bearer'), tokenEnv: envName }),
  /** A header of the proxy's choosing (`name: <value>`), the value from `valueEnv`. */
  z.strictObject({
    type: z.literal('header'),
    name: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name'),
    valueEnv: envName,
  }),
  /** OAuth2 client credentials (RFC 6749 §4.4), form-encoded; the token kept until shortly before `expires_in`, fetched again on 401. */
  z.strictObject({
    type: z.literal('oauth2-client-credentials'),
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    clientSecretEnv: envName,
    scope: z.string().min(1).optional(),
  }),
]);

/** One rule of `targets[].answers`: what a portal answer means (issue #10 item 2). First match wins. */
export const AnswerRuleSchema = z
  .strictObject({
    /** The answer's `error_code`, compared as text ("-1" matches -1 and "-1"). */
    errorCode: z.string().min(1).max(64).optional(),
    /** A regular expression (case-insensitive, Unicode) the answer's message must match, e.g. `đang bận|thử lại`. */
    messageMatches: z
      .string()
      .min(1)
      .max(500)
      .refine((s) => {
        try {
          new RegExp(s, 'iu');
          return true;
        } catch {
          return false;
        }
      }, 'a valid regular expression')
      .optional(),
    /** The HTTP status; without it the rule applies to 2xx answers only. */
    httpStatus: z.number().int().min(100).max(599).optional(),
    means: z.enum(['ok', 'exists', 'retry', 'session_expired', 'reject']),
  })
  .refine((r) => r.errorCode !== undefined || r.messageMatches !== undefined || r.httpStatus !== undefined, 'a rule needs errorCode, messageMatches or httpStatus');

const targetBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  /** Name people read on the dashboard and in reports, shown with the id beside (e.g. "Cổng DVC quốc gia"). */
  name: z.string().min(1).optional(),
  kind: z.literal('dvcqg').default('dvcqg'),
  baseUrl: z.url(),
  /** The integrating organisation's unit code (madonvi / MaDinhDanhDV). */
  unitCode: z.string().min(1),
  /** Senders at the start of a drain, and never fewer; the pool grows to fill `ratePerSecond` (src/outbox/concurrency.ts). */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Most senders the adaptive pool opens (set it to `concurrency` for a fixed pool). */
  maxConcurrency: z.number().int().min(1).max(64).default(64),
  /** Calls a second to this target, never exceeded in any second; on PostgreSQL shared by every process draining it. */
  ratePerSecond: z.number().positive().default(50),
  timeoutMs: z.number().int().min(100).default(10_000),
  retry: RetryConfigSchema.default({ maxAttempts: 8, minDelayMs: 500, maxDelayMs: 60_000 }),
  /** Optional routing header some intermediate gateways want (contract §2.1). */
  dstcode: z.string().optional(),
  /** Progress items per CapNhatTienDoHoSoMC call (contract §12.5: at most 10). */
  progressChunk: z.number().int().min(1).max(10).default(10),
  // --- Wire profile (issue #10 items 3, 7, 8; src/dossier/wire-policy.ts) ---
  /** Longest text per wire field (characters), over the built-in table (GhiChu 2000, TrichYeuHoSo 1000, NguoiXuLy 50, TenTepDinhKem 4000, TenGiayTo 2000). */
  limits: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'a wire field name such as GhiChu'), z.number().int().min(1)).optional(),
  /** A text over its limit: cut on the wire with a warning (default), or the delivery held until fixed. */
  overLength: z.enum(['truncate', 'quarantine']).default('truncate'),
  /** A MaHoSo whose first segment is not a unit code of the province: keep silently, report (default) or rewrite to `<unit code>-<original>` (original in MaHoSoKhac). */
  codePrefix: z.enum(['keep', 'report', 'rewrite']).default('report'),
  /** Add a status-2 progress item at reception when the source sent none, and an end item at the finish date. */
  padProgress: z.boolean().default(false),
  // --- end of wire profile ---
  /** How the gateway authenticates on every call (default: `session` on session targets, `none` on bare-array ones). */
  auth: TargetAuthSchema.optional(),
  /** Ordered rules reading the portal's answers before the built-in ones (0/"0"/"00" ok, "đã tồn tại" exists, session words and 401/403 session_expired, anything else reject). */
  answers: z.array(AnswerRuleSchema).max(100).default([]),
  /** Log in again (session) or fetch a new token (OAuth2) after this many seconds, whatever the portal says (OpenCPS: 600). */
  sessionTtlSeconds: z.number().int().min(1).optional(),
  /** A dossier never pushed by lienthong: `insert` (default; an "exists" answer turns it into an update) or `lookup` (ask the portal first, for a migration from an older connector). */
  firstPush: z.enum(['insert', 'lookup']).default('insert'),
  /** Circuit breaker (src/outbox/breaker.ts): after `failures` consecutive retryable failures (network, timeout, 5xx, 429) no call for `coolDownSeconds` (doubled at each re-open, up to 5 min), then one probe; deliveries wait pending, their attempts not burned. Off when absent. */
  breaker: z
    .strictObject({
      failures: z.number().int().min(1).max(1000).default(5),
      coolDownSeconds: z.number().min(0.05).max(3600).default(30),
    })
    .optional(),
  /** Unit-code prefixes this target receives (a dossier whose unit code or MaHoSo starts with one); empty = every dossier. */
  units: z.array(z.string().min(1)).default([]),
  /** The 766 dashboard's reporting API (indicators-766.md §2): published per-unit counts, for reconcile. */
  reporting: z
    .strictObject({
      baseUrl: z.url(),
      rootDepartmentId: z.string().min(1),
      pageSize: z.number().int().min(1).max(200).default(100),
    })
    .optional(),
};

export const SessionTargetSchema = z.strictObject({
  ...targetBase,
  style: z.literal('session'),
  loginPath: z.string().default('/auth'),
  servicePath: z.string().default('/service'),
  username: z.string().min(1),
  passwordEnv: envName,
});

export const BareArrayTargetSchema = z.strictObject({
  ...targetBase,
  style: z.literal('bare-array'),
  insertPath: z.string().default('/DongBoHoSoMC'),
  updatePath: z.string().default('/DongBoHoSoMC'),
  progressPath: z.string().default('/CapNhatTienDoHoSoMC'),
  lookupPath: z.string().optional(),
});

export const TargetConfigSchema = z.discriminatedUnion('style', [SessionTargetSchema, BareArrayTargetSchema]);

export const SourceConfigSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  /** Name people read on the dashboard, shown with the id beside (e.g. "Một cửa huyện A"). */
  name: z.string().min(1).optional(),
  adapter: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  /** Units this source may write (webhook intake, routing); empty = any. */
  units: z.array(z.string()).default([]),
  /** Records per page the pipeline stores at once. */
  pageSize: z.number().int().min(1).max(10_000).default(500),
  /** Cron expression of the scheduled run inside `lienthong serve` (Asia/Ho_Chi_Minh), e.g. `0 1 * * *`. */
  schedule: z.string().min(1).optional(),
  /** Environment variable holding the HMAC secret of webhook pushes (`POST /ingest/{sourceId}`). */
  webhookSecretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
});

export const ConfigSchema = z.strictObject({
  /** `pglite:<folder>` (embedded, default) or a `postgres://` URL. `DATABASE_URL` overrides it. */
  database: z.string().default('pglite:.lienthong/db'),
  sources: z.array(SourceConfigSchema).default([]),
  targets: z.array(TargetConfigSchema).default([]),
  sync: z
    .strictObject({
      /** How long `sync` keeps delivering before it stops and reports what is pending. */
      deadlineMs: z.number().int().min(1000).default(15 * 60_000),
      /** Lease on a claimed delivery; a crashed worker's claims expire after it. */
      leaseMs: z.number().int().min(1000).default(120_000),
    })
    .default({ deadlineMs: 15 * 60_000, leaseMs: 120_000 }),
  /** `lienthong report`: files the reports read (paths relative to the working directory). */
  reports: z
    .strictObject({
      /** Procedure catalogue (time limits, 15:00 cut-offs), src/rules/data/procedures.sample.json format. */
      catalog: z.string().optional(),
      /** Official holiday arrangements for years beyond the bundled data (src/rules/data/holidays.json format). */
      calendarData: z.string().optional(),
      /** Unit registry (src/units/data/units.sample.json format). */
      units: z.string().optional(),
      /** Late rates (percent) above this are highlighted in CSV/XLSX/HTML reports. */
      lateThreshold: z.number().min(0).max(100).default(5),
    })
    .default({ lateThreshold: 5 }),
  /** Evidence of every exchange with the portals (src/evidence): signed checkpoints of the receipt chains. */
  evidence: z
    .strictObject({
      /** The Ed25519 signing key (PKCS#8 PEM), created on first use; default `<data folder>/evidence/signing-key.pem`. */
      keyFile: z.string().min(1).optional(),
      /** Cron expression (Asia/Ho_Chi_Minh) of `ledger verify` and a checkpoint inside `lienthong serve`. */
      verifySchedule: z.string().min(1).default('15 3 * * *'),
    })
    .default({ verifySchedule: '15 3 * * *' }),
  /** `lienthong serve`: HTTP API, webhook intake and scheduler. */
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65_535).default(8080),
      /** Loopback by default; `0.0.0.0` (or an interface address) opens `serve` to the network. */
      host: z.string().default('127.0.0.1'),
      /** Largest accepted request body, on every route (API, dashboard, webhook intake): 413 beyond. */
      bodyLimitBytes: z.number().int().min(1024).default(5 * 1024 * 1024),
      /** How far a webhook timestamp may be from now (replay window). */
      replayWindowSeconds: z.number().int().min(1).default(300),
      /** Time a client has to send its request headers (slowloris): 408 and closed beyond. */
      headersTimeoutMs: z.number().int().min(100).default(10_000),
      /** Time a client has to send its whole request, body included; at least `headersTimeoutMs`. */
      requestTimeoutMs: z.number().int().min(100).default(60_000),
      /** Open connections at most; further ones are dropped on connect. */
      maxConnections: z.number().int().min(1).default(1024),
    })
    .default({ port: 8080, host: '127.0.0.1', bodyLimitBytes: 5 * 1024 * 1024, replayWindowSeconds: 300, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, maxConnections: 1024 }),
});

export type Config = z.infer<typeof ConfigSchema>;
export type SourceConfig = z.infer<typeof SourceConfigSchema>;
export type TargetConfig = z.infer<typeof TargetConfigSchema>;
export type SessionTargetConfig = z.infer<typeof SessionTargetSchema>;
export type BareArrayTargetConfig = z.infer<typeof BareArrayTargetSchema>;
export type TargetAuth = z.infer<typeof TargetAuthSchema>;
export type AnswerRule = z.infer<typeof AnswerRuleSchema>;
export type RetryConfig = z.infer<typeof RetryConfigSchema>;
