/**
 * Safe XML reading for SOAP answers. fast-xml-parser accepts broken XML, so the text is validated
 * first; a document type declaration is refused outright (no external entities, no entity
 * expansion: a "billion laughs" payload never reaches the parser); tag values stay text
 * (`parseTagValue: false`, so `0101234567` keeps its leading zero); numeric character references
 * (`&#7879;` → ệ) and the five XML entities are decoded; namespace prefixes are removed.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { UpstreamSchemaError } from '../../src/sdk/index.ts';

/** One record element, as parsed: element name → text, nested record, or list. */
export const SoapRecordSchema = z.record(z.string(), z.unknown());
export type SoapRecord = z.infer<typeof SoapRecordSchema>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const DTD_RE = /<!(DOCTYPE|ENTITY)\b/i;

/**
 * Validates and parses one XML document; an UpstreamSchemaError naming line and column otherwise.
 *
 * @example
 * parseXmlSafely('<a><SoHoSo>0101234567</SoHoSo></a>', 'page 1'); // { a: { SoHoSo: '0101234567' } }
 */
export function parseXmlSafely(text: string, where: string): Record<string, unknown> {
  if (DTD_RE.test(text)) throw new UpstreamSchemaError(`${where}: the XML declares a document type or entities, which is refused (external entities, entity expansion)`, { retryable: false });
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new UpstreamSchemaError(`${where}: the answer is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`, { retryable: false });
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    // fast-xml-parser refuses element names such as `__proto__` (they are never structure).
    throw new UpstreamSchemaError(`${where}: the XML cannot be read: ${(e as Error).message}`, { retryable: false });
  }
}

/** The content of `Envelope.Body`, or a SOAP Fault as an error. */
export function soapBody(doc: Record<string, unknown>, where: string): Record<string, unknown> {
  const body = (doc['Envelope'] as Record<string, unknown> | undefined)?.['Body'];
  if (!body || typeof body !== 'object') throw new UpstreamSchemaError(`${where}: the answer has no soap:Body`, { retryable: false });
  const fault = (body as Record<string, unknown>)['Fault'] as Record<string, unknown> | undefined;
  if (fault) {
    const reason = fault['faultstring'] ?? (fault['Reason'] as Record<string, unknown> | undefined)?.['Text'] ?? 'no reason given';
    throw new UpstreamSchemaError(`${where}: SOAP Fault: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`, { retryable: false });
  }
  return body as Record<string, unknown>;
}

/** Escapes a value for XML text. */
export const xmlEscape = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
