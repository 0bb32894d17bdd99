/**
 * A vendor's sample file → raw records, for `adapter new --from-sample`, `adapter check --sample`
 * and scaffolded adapters: `.json` (an array, or an object holding one), `.ndjson`, `.csv`/`.tsv`
 * (any encoding, detected; any separator) and `.xml` (records = the first repeated element).
 * XML is read safely: validated first, a document type or entity declaration refused, values kept
 * as text (leading zeros), namespace prefixes removed.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConfigError } from '../errors.ts';
import { decodeBytes } from '../text/index.ts';
import type { RawRecord } from './adapter.ts';
import { detectDelimiter, splitFields } from './csv.ts';
import { matchField } from './mapping/fields.ts';

const xml = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, parseAttributeValue: false, trimValues: true, htmlEntities: true, processEntities: true, ignoreDeclaration: true, ignorePiTags: true });

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The first array of objects in a parsed document (breadth first), else the deepest single record. */
export function findRecords(doc: unknown): Record<string, unknown>[] {
  if (Array.isArray(doc)) return doc.filter(isObject);
  let level: unknown[] = [doc];
  let lastObject: Record<string, unknown> | undefined;
  for (let depth = 0; depth < 8 && level.length; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (!isObject(node)) continue;
      for (const v of Object.values(node)) {
        if (Array.isArray(v) && v.some(isObject)) return v.filter(isObject);
        if (isObject(v)) next.push(v);
      }
      if (Object.values(node).some((v) => !isObject(v) && !Array.isArray(v))) lastObject = node;
    }
    level = next;
  }
  return lastObject ? [lastObject] : isObject(doc) ? [doc] : [];
}

function keyOf(raw: Record<string, unknown>): string | null {
  for (const [k, v] of Object.entries(raw)) if (matchField(k) === 'MaHoSo' && (typeof v === 'string' || typeof v === 'number')) return String(v).trim() || null;
  return null;
}

/** Parses sample text by the file's extension into records. */
export function parseSample(name: string, bytes: Uint8Array): Record<string, unknown>[] {
  const ext = extname(name).toLowerCase();
  const text = decodeBytes(bytes, ext === '.csv' || ext === '.tsv' || ext === '.txt' ? 'auto' : 'utf-8').text;
  if (ext === '.json') return findRecords(JSON.parse(text));
  if (ext === '.ndjson') return text.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown).filter(isObject);
  if (ext === '.xml') {
    if (/<!(DOCTYPE|ENTITY)\b/i.test(text)) throw new ConfigError(`${name}: the XML declares a document type or entities, which is refused`);
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw new ConfigError(`${name}: not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);
    return findRecords(xml.parse(text));
  }
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') {
    const lines: string[] = [];
    let buf = '';
    for (const line of text.split(/\r?\n/)) {
      buf = buf ? `${buf}\n${line}` : line;
      if ((buf.match(/"/g)?.length ?? 0) % 2 === 0) {
        lines.push(buf);
        buf = '';
      }
    }
    const [header, ...rows] = lines.filter((l) => l.trim() !== '');
    if (header === undefined) return [];
    const sep = ext === '.tsv' ? '\t' : detectDelimiter(header);
    const keys = splitFields(header, sep).map((k, i) => k.trim() || `column ${i + 1}`);
    return rows.map((r) => {
      const cells = splitFields(r, sep);
      return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
    });
  }
  throw new ConfigError(`${name}: a sample must be .json, .ndjson, .csv, .tsv or .xml`);
}

/**
 * Reads a sample file as raw records (`location` = file name and index).
 *
 * @example
 * const records = await readSampleRecords('./sample.xml');
 */
export async function readSampleRecords(path: string): Promise<RawRecord[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new ConfigError(`sample "${path}" does not exist or cannot be read`);
  }
  const name = basename(path);
  let records: Record<string, unknown>[];
  try {
    records = parseSample(name, bytes);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${name}: cannot be parsed: ${(e as Error).message}`);
  }
  return records.map((raw, i) => ({ key: keyOf(raw), location: `${name}[${i}]`, raw }));
}
