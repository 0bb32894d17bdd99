/**
 * Raw OpenCPS payloads (opencps-api.md §1.5, §3, §6). The JSON typing is loose: a server running
 * CXF's Jettison provider turns text that looks like a number or boolean into one
 * (`"applicantIdNo": 4300123456` but `"0311123290"`), so every scalar is accepted as
 * string | number | boolean and normalised: codes and identifiers to strings, flags to booleans,
 * counts to numbers. Only `dossierId`, `referenceUid`, `dossierStatus`, `govAgencyCode` and
 * `serviceCode` are required (§8); unknown keys pass through.
 */
import { z } from 'zod';
import { setOwn } from '../../src/sdk/own.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A code or identifier that may arrive as a number: always a string; `""` stays `""`. */
export const OpencpsTextSchema = scalar.transform((v) => String(v).normalize('NFC'));
/** A required code: a non-empty string after normalisation. */
export const OpencpsCodeSchema = scalar.transform((v) => String(v).trim()).pipe(z.string().min(1, 'is empty'));
/** `true`/`false` as booleans or text, `1`/`0`. */
export const OpencpsFlagSchema = scalar.transform((v, ctx) => {
  const t = String(v).trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0' || t === '') return false;
  ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a flag` });
  return z.NEVER;
});
/** A count or amount that may arrive as text; `""` → null. */
export const OpencpsNumberSchema = scalar.transform((v, ctx) => {
  const t = String(v).trim();
  if (t === '') return null;
  const n = Number(t);
  if (typeof v === 'boolean' || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a number` });
    return z.NEVER;
  }
  return n;
});
/** A date as sent: `dd/MM/yyyy HH:mm:ss` text, `""`, or epoch milliseconds (read by the mapper). */
export const OpencpsDateSchema = z.union([z.string(), z.number()]);

const text = OpencpsTextSchema.optional();
const date = OpencpsDateSchema.optional();

/** One dossier from the list (`DossierDataModel`) or the detail (`DossierDetailModel`). */
export const OpencpsDossierSchema = z.looseObject({
  dossierId: OpencpsCodeSchema,
  referenceUid: OpencpsCodeSchema,
  dossierStatus: OpencpsCodeSchema,
  govAgencyCode: OpencpsCodeSchema,
  serviceCode: OpencpsCodeSchema,
  dossierNo: text,
  dossierCounter: text,
  groupId: text,
  serviceName: text,
  govAgencyName: text,
  domainCode: text,
  domainName: text,
  dossierName: text,
  briefNote: text,
  dossierNote: text,
  applicantName: text,
  applicantIdType: text,
  applicantIdNo: text,
  address: text,
  contactEmail: text,
  contactTelNo: text,
  dossierStatusText: text,
  dossierSubStatus: text,
  online: OpencpsFlagSchema.optional(),
  viaPostal: OpencpsNumberSchema.optional(),
  fromViaPostal: OpencpsNumberSchema.optional(),
  createDate: date,
  modifiedDate: date,
  submitDate: date,
  receiveDate: date,
  dueDate: date,
  releaseDate: date,
  finishDate: date,
  lastActionDate: date,
  lastActionCode: text,
  stepCode: text,
  durationCount: OpencpsNumberSchema.optional(),
  durationUnit: OpencpsNumberSchema.optional(),
  originality: OpencpsNumberSchema.optional(),
});
export type OpencpsDossier = z.infer<typeof OpencpsDossierSchema>;

/** The list envelope `{ total, data }`; `data` may be missing (empty) or a bare object (one row). */
export const OpencpsListSchema = z.looseObject({
  total: OpencpsNumberSchema.pipe(z.number().int().min(0)),
  data: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
});

/** One `/dossierlogs/{id}/logs` entry: native JSON types (the endpoint builds its JSON by hand). */
export const OpencpsLogEntrySchema = z.looseObject({
  dossierLogId: z.union([z.number(), z.string()]).optional(),
  author: z.string().optional(),
  content: z.string().optional(),
  createDate: z.union([z.number(), z.string()]),
  notificationType: z.string().optional(),
  payload: z.unknown().optional(),
});
export const OpencpsProcessPayloadSchema = z.looseObject({
  dossierStatusText: z.string().optional(),
  jobPosName: z.string().optional(),
  stepName: z.string().optional(),
  stepCode: z.union([z.string(), z.number()]).optional(),
  files: z
    .array(z.looseObject({ dossierFileId: z.union([z.number(), z.string()]).optional(), fileName: z.string().optional(), createDate: z.union([z.string(), z.number()]).optional() }))
    .optional(),
});
/** One action of a `/sequences` phase (§6.2): native types, dates in epoch milliseconds. */
export const OpencpsSequenceActionSchema = z.looseObject({
  actionUser: z.string().optional(),
  actionName: z.string().optional(),
  actionNote: z.string().optional(),
  stepCode: z.union([z.string(), z.number()]).optional(),
  createDate: z.union([z.number(), z.string()]),
  dueDate: z.union([z.number(), z.string()]).optional(),
});
export const OpencpsLogsSchema = z.looseObject({ total: z.union([z.number(), z.string()]).optional(), data: z.array(z.unknown()).optional() });

/**
 * What the adapter stores as the raw record: the list row, the detail (database truth, real
 * `modifiedDate`) and the processing-history entries. `hasPassword` (the dossier's look-up PIN)
 * is removed before anything is stored.
 */
export interface OpencpsRawRecord {
  list: Record<string, unknown>;
  detail: Record<string, unknown> | null;
  logs: unknown[] | null;
  /** The `/sequences` phases, read only when the log could not be (a blank log entry makes it fail, §6.1). */
  sequences?: unknown[] | null;
  /** Why the detail or history could not be read (the record still goes through, with a warning). */
  fetchWarnings?: string[];
}

/** Fields recomputed from "now" or depending on the viewer, and the secret PIN: never kept (§3.1). */
export const OPENCPS_DROPPED_FIELDS = ['hasPassword', 'secretCode', 'permission', 'dossierOverdue', 'dossierFinishOverdue', 'stepOverdue', 'timeOverdueText', 'visited', 'dueDateComing', 'lock'] as const;

/** A copy without the dropped fields. */
export function stripVolatile(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!(OPENCPS_DROPPED_FIELDS as readonly string[]).includes(k)) setOwn(out, k, v);
  return out;
}
