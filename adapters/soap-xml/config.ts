/**
 * Options and cursor of the `soap-xml` adapter: a SOAP 1.1/1.2 service (often .NET ASMX/WCF) that
 * lists dossiers page by page. The operation's body is declared as an XML template; the records
 * are found by path under `soap:Body` (namespace prefixes removed) and mapped declaratively.
 */
import { z } from 'zod';
import { HttpRetrySchema } from '../../src/sdk/http.ts';
import { CodeTablesSchema, MappingSpecSchema } from '../../src/sdk/mapping/index.ts';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name');

export const SoapXmlOptionsSchema = z.strictObject({
  /** The service endpoint (`https://motcua.example.gov.vn/DichVuHoSo.asmx`). */
  url: z.url(),
  soapVersion: z.enum(['1.1', '1.2']).default('1.1'),
  /** The SOAPAction (1.1 header, 1.2 `action` parameter), e.g. `http://tempuri.org/LayDanhSachHoSo`. */
  soapAction: z.string().optional(),
  /**
   * The operation element inside `soap:Body`, with `{page}`, `{size}`, `{offset}`, `{since}`,
   * `{username}`, `{password}` filled in (XML-escaped):
   * `<LayDanhSachHoSo xmlns="http://tempuri.org/"><trang>{page}</trang><soBanGhi>{size}</soBanGhi></LayDanhSachHoSo>`.
   */
  body: z.string().min(1),
  /** HTTP Basic with `username` + `password`; `none` when the credentials travel in the body. */
  auth: z.enum(['none', 'basic']).default('none'),
  username: z.string().optional(),
  passwordEnv: envName.optional(),
  password: z.string().min(1).optional(),
  paging: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('none') }),
      z.strictObject({ type: z.literal('page'), firstPage: z.number().int().min(0).default(1), size: z.number().int().min(1).max(10_000).default(100) }),
      z.strictObject({ type: z.literal('offset'), size: z.number().int().min(1).max(10_000).default(100) }),
    ])
    .default({ type: 'none' }),
  /** Path of the repeated record element under `Body` (`LayDanhSachHoSoResponse.LayDanhSachHoSoResult.HoSo`). */
  recordsPath: z.string().min(1),
  /** Path of a total count under `Body`, when the service gives one. */
  totalPath: z.string().optional(),
  /** Paths inside a record that are lists even with one element (`QuaTrinhXuLy.Buoc`). */
  arrays: z.array(z.string().min(1)).default([]),
  modifiedSince: z
    .strictObject({
      /** How `{since}` is written: `iso`, or a pattern (`dd/MM/yyyy HH:mm:ss`), Vietnam time. */
      format: z.string().default('iso'),
      field: z.string().optional(),
      fieldFormat: z.string().default('iso'),
      overlapMinutes: z.number().int().min(0).default(10),
      initial: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
  keyPath: z.string().optional(),
  mapping: z.union([z.literal('portal'), MappingSpecSchema]).default('portal'),
  tables: CodeTablesSchema.optional(),
  /** An answer larger than this is refused (bounded memory). */
  maxBytes: z.number().int().min(1024).default(32 * 1024 * 1024),
  timeoutMs: z.number().int().min(100).default(30_000),
  retry: HttpRetrySchema.strict().default({ maxAttempts: 5, minDelayMs: 500, maxDelayMs: 30_000 }),
});
export type SoapXmlOptions = z.infer<typeof SoapXmlOptionsSchema>;

export type SoapPageState = { page: number } | { offset: number } | { done: true };

export interface SoapXmlCursor {
  watermark: string | null;
  run?: { since: string | null; startedAt: string; next: SoapPageState; maxSeen: string | null; skip?: number };
}
