/**
 * Answers a report in the format asked for: JSON, CSV, HTML (Vietnamese, self-contained) or XLSX,
 * as a download with a file name.
 */
export const FORMATS = ['json', 'csv', 'html', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];

const TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * @example
 * return download('csv', 'bieu06-2026-10', toCsv(table));
 */
export function download(format: Format, baseName: string, body: string | Uint8Array): Response {
  const headers: Record<string, string> = { 'content-type': TYPES[format] };
  if (format !== 'json') headers['content-disposition'] = `attachment; filename="${baseName}.${format}"`;
  return new Response(body as ConstructorParameters<typeof Response>[0], { status: 200, headers });
}
