/**
 * Values PostgreSQL refuses: a NUL (U+0000) in `text` or `jsonb` (and `\u0000` in JSON text), a
 * UTF-16 surrogate without its pair (`\ud800`), and — for `jsonb` — nesting deeper than its parser's
 * stack allows. Any of them used to fail the whole statement: a page of records, a run's summary,
 * a portal receipt. The rule (README, Security):
 *
 * - a **record** holding one is quarantined, with one issue per offending field naming the record
 *   and the field's JSON path ({@link unstorableIssues}); its quarantined copy shows each refused
 *   character by a visible stand-in ({@link storableCopy}); the other records of its page are stored;
 * - a **message** (run summary, error, portal answer, receipt) is stored with the same stand-ins:
 *   every query sent through the ledger is escaped so ({@link escapeQuery}), so no statement fails
 *   for them and a run always ends with a status.
 *
 * Stand-ins: NUL → U+2400 "␀", lone surrogate → U+FFFD "�".
 */
import { createHash } from 'node:crypto';
import { Param, SQL, StringChunk } from 'drizzle-orm';
import type { ValidationIssue } from '../errors.ts';

export const NUL_STAND_IN = '\u2400';
export const SURROGATE_STAND_IN = '\ufffd';
/** Deeper than this, a value is not stored (PostgreSQL's jsonb parser, JSON.stringify and PGlite's stack all have limits). */
export const MAX_STORED_DEPTH = 100;

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/** True when PostgreSQL refuses the text (a NUL, or a lone surrogate). */
export function isUnstorableText(s: string): boolean {
  return s.includes('\u0000') || !(s as unknown as WellFormed).isWellFormed();
}

/** The text with each NUL shown as ␀ and each lone surrogate as �. */
export function storableText(s: string): string {
  if (!isUnstorableText(s)) return s;
  return (s.replaceAll('\u0000', NUL_STAND_IN) as unknown as WellFormed).toWellFormed();
}

/** What is wrong with a text, for an issue: `a NUL (U+0000)`, `a lone UTF-16 surrogate (U+D800)`. */
function describeText(s: string): string {
  const found: string[] = [];
  if (s.includes('\u0000')) found.push('a NUL (U+0000)');
  if (!(s as unknown as WellFormed).isWellFormed()) {
    const m = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(s);
    found.push(`a lone UTF-16 surrogate (U+${(m?.[0].charCodeAt(0) ?? 0xfffd).toString(16).toUpperCase()})`);
  }
  return found.join(' and ');
}

function isWalkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * One issue per text (value or key) PostgreSQL would refuse, and one for nesting deeper than
 * {@link MAX_STORED_DEPTH}, each with its JSON path; `record` names the record in the message.
 * Iterative: any depth is walked without recursion.
 */
export function unstorableIssues(value: unknown, record: string, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: { node: unknown; at: string; depth: number }[] = [{ node: value, at: path, depth: 0 }];
  while (stack.length) {
    const { node, at, depth } = stack.pop()!;
    if (typeof node === 'string') {
      if (isUnstorableText(node)) {
        issues.push({ path: at, code: 'unstorable_text', message: `record "${storableText(record)}": the field holds ${describeText(node)}, which PostgreSQL cannot store; the record is quarantined (its copy shows ␀ for a NUL, � for a lone surrogate)` });
      }
      continue;
    }
    if (!isWalkable(node)) continue;
    if (depth >= MAX_STORED_DEPTH) {
      issues.push({ path: at, code: 'too_deep', message: `record "${storableText(record)}": the field is nested deeper than ${MAX_STORED_DEPTH} levels, which is not stored; the record is quarantined` });
      continue;
    }
    const children: { node: unknown; at: string; depth: number }[] = [];
    if (Array.isArray(node)) node.forEach((item: unknown, i) => children.push({ node: item, at: childPath(at, i), depth: depth + 1 }));
    else {
      for (const key of Object.keys(node)) {
        if (isUnstorableText(key)) {
          issues.push({ path: childPath(at, storableText(key)), code: 'unstorable_text', message: `record "${storableText(record)}": the field's name holds ${describeText(key)}, which PostgreSQL cannot store; the record is quarantined` });
        }
        children.push({ node: node[key], at: childPath(at, storableText(key)), depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so that issues come in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return issues;
}

/** Sets an own enumerable property, even for a key named `__proto__` (data, never the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A copy PostgreSQL stores: texts and keys through {@link storableText}, anything nested deeper than
 * {@link MAX_STORED_DEPTH} replaced by a note. Iterative; the input is not touched.
 */
export function storableCopy(value: unknown): unknown {
  const root: { value: unknown } = { value: undefined };
  const stack: { node: unknown; depth: number; put: (v: unknown) => void }[] = [{ node: value, depth: 0, put: (v) => (root.value = v) }];
  while (stack.length) {
    const { node, depth, put } = stack.pop()!;
    if (typeof node === 'string') {
      put(storableText(node));
    } else if (!isWalkable(node)) {
      put(node);
    } else if (depth >= MAX_STORED_DEPTH) {
      put(`[nested deeper than ${MAX_STORED_DEPTH} levels: not stored]`);
    } else if (Array.isArray(node)) {
      const out: unknown[] = new Array<unknown>(node.length);
      put(out);
      node.forEach((item: unknown, i) => stack.push({ node: item, depth: depth + 1, put: (v) => (out[i] = v) }));
    } else {
      const out: Record<string, unknown> = {};
      put(out);
      for (const key of Object.keys(node)) {
        const k = storableText(key);
        setOwn(out, k, undefined);
        stack.push({ node: node[key], depth: depth + 1, put: (v) => setOwn(out, k, v) });
      }
    }
  }
  return root.value;
}

/** Escapes in JSON text that PostgreSQL's jsonb refuses: `\u0000`, and a `\uD800`–`\uDFFF` without its pair. */
const JSON_ESCAPE_RE = /\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\[^u]/g;

/**
 * JSON text with the escapes jsonb refuses replaced by the stand-ins (`\u2400`, `\ufffd`); raw NULs
 * and lone surrogates (outside escapes) too. Other escapes (`\\u0000` is a backslash and "u0000")
 * are left as they are.
 */
export function storableJsonText(text: string): string {
  let out = text.includes('\\u') ? text.replace(JSON_ESCAPE_RE, (all: string, _hi?: string, _lo?: string, single?: string) => {
    if (single === undefined) return all;
    const code = parseInt(single, 16);
    if (code === 0) return '\\u2400';
    if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
    return all;
  }) : text;
  out = storableText(out);
  return out;
}

/** `JSON.stringify` whose text jsonb always takes (see {@link storableJsonText}, {@link storableCopy}). */
export function storableJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value ?? null);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    text = JSON.stringify(storableCopy(value) ?? null);
  }
  return storableJsonText(text);
}

const JSONB_CAST_RE = /^\s*::\s*(?:text\s*::\s*)?jsonb\b/i;

function escapeChunks(chunks: unknown[]): void {
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (chunk instanceof SQL) {
      escapeChunks(chunk.queryChunks);
      continue;
    }
    const value: unknown = chunk instanceof Param ? chunk.value : chunk;
    if (typeof value !== 'string') continue;
    const next = chunks[i + 1];
    const json = next instanceof StringChunk && JSONB_CAST_RE.test(next.value.join(''));
    const fixed = json ? storableJsonText(value) : storableText(value);
    if (fixed === value) continue;
    chunks[i] = chunk instanceof Param ? new Param(fixed, chunk.encoder) : fixed;
  }
}

/**
 * Escapes, in place, every text parameter of a query as {@link storableText} does, and every text
 * parameter cast to jsonb (`${json}::jsonb`) as {@link storableJsonText} does. The ledger runs
 * every raw query through it, so a NUL in a portal answer, an error or a run summary never makes
 * a statement fail. Records are screened before (`storePage`): they are quarantined, not escaped.
 */
export function escapeQuery<T extends SQL>(query: T): T {
  escapeChunks(query.queryChunks);
  return query;
}

/** True when the value holds a text or key PostgreSQL refuses, or is nested deeper than {@link MAX_STORED_DEPTH}. */
export function hasUnstorable(value: unknown): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (typeof node === 'string') {
      if (isUnstorableText(node)) return true;
      continue;
    }
    if (!isWalkable(node)) continue;
    if (depth >= MAX_STORED_DEPTH) return true;
    if (Array.isArray(node)) for (const item of node as unknown[]) stack.push({ node: item, depth: depth + 1 });
    else {
      for (const key of Object.keys(node)) {
        if (isUnstorableText(key)) return true;
        stack.push({ node: node[key], depth: depth + 1 });
      }
    }
  }
  return false;
}

/** A refused escape in JSON text made by JSON.stringify (which never leaves a raw NUL or lone surrogate). */
const REFUSED_ESCAPE_RE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/**
 * The page as PostgreSQL takes it: a valid record holding a refused value (in its raw record or its
 * dossier) becomes a quarantined one, with one issue per field ({@link unstorableIssues}); a
 * quarantined record's raw copy is made storable, with the same issues added. Other records are
 * untouched (the same objects).
 */
export function screenPage<P extends { valid: ScreenValid[]; invalid: ScreenInvalid[] }>(page: P): P {
  const refused: ScreenValid[] = [];
  for (const r of page.valid) {
    const json = r.json ?? JSON.stringify(r.dossier);
    if (hasUnstorable(r.raw) || REFUSED_ESCAPE_RE.test(json)) refused.push(r);
  }
  const invalidBad = page.invalid.some((r) => hasUnstorable(r.raw) || (r.rawText !== null && isUnstorableText(r.rawText)));
  if (!refused.length && !invalidBad) return page;
  const moved: ScreenInvalid[] = refused.map((r) => {
    const code = r.dossier.code;
    const rawIssues = unstorableIssues(r.raw, code);
    const issues = rawIssues.length ? rawIssues : unstorableIssues(r.dossier, code, 'dossier');
    const rawText = r.rawText ?? null;
    return {
      key: code,
      location: r.location ?? code,
      raw: storableCopy(r.raw),
      rawText: rawText === null ? null : storableText(rawText),
      rawHash: createHash('sha256').update(rawText ?? storableJson(r.raw)).digest('hex'),
      issues,
    };
  });
  const invalid = page.invalid.map((r) => {
    const badText = r.rawText !== null && isUnstorableText(r.rawText);
    if (!hasUnstorable(r.raw) && !badText) return r;
    const known = new Set(r.issues.map((i) => `${i.code ?? ''}\u0001${i.path}`));
    const issues = [...r.issues, ...unstorableIssues(r.raw, r.key).filter((i) => !known.has(`${i.code ?? ''}\u0001${i.path}`))];
    if (badText && issues.length === r.issues.length) issues.push({ path: '', code: 'unstorable_text', message: `record "${storableText(r.key)}": the record's text holds ${describeText(r.rawText!)}, which PostgreSQL cannot store (its copy shows ␀ for a NUL, � for a lone surrogate)` });
    return { ...r, raw: storableCopy(r.raw), rawText: r.rawText === null ? null : storableText(r.rawText), issues };
  });
  const refusedSet = new Set(refused);
  return { ...page, valid: page.valid.filter((r) => !refusedSet.has(r)), invalid: [...invalid, ...moved] };
}

/** What {@link screenPage} reads of a valid record (store-page's `ValidRecord`). */
interface ScreenValid {
  dossier: { code: string };
  raw: unknown;
  json?: string;
  location?: string;
  rawText?: string | null;
}

/** A quarantined record as the ledger stores it (store-page's `InvalidRecord`), as {@link screenPage} reads and makes it. */
export interface ScreenInvalid {
  key: string;
  location: string;
  raw: unknown;
  rawText: string | null;
  rawHash: string;
  issues: ValidationIssue[];
}
