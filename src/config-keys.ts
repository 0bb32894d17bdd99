/**
 * Unknown configuration keys, named with their path and the known key they most resemble:
 * `targets[0].ratePerSecnd: unknown key; did you mean "ratePerSecond"?`. Every configuration
 * schema is a strict object, so a typo is refused instead of silently falling back to a default.
 */
import type { z } from 'zod';
import { formatPath } from './dossier/index.ts';

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
  values?: unknown[];
  getter?: () => Schema;
  left?: Schema;
  right?: Schema;
}
type Schema = { _zod: { def: Def } };

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'success']);

function unwrap(s: Schema): Schema {
  for (let i = 0; i < 50; i++) {
    const d = s._zod.def;
    if (WRAPPERS.has(d.type) && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else break;
  }
  return s;
}

/** The object schemas a value may be checked against at this point (union options, by discriminator when there is one). */
function objectsOf(s: Schema, value: unknown): Schema[] {
  const u = unwrap(s);
  const d = u._zod.def;
  if (d.type === 'object') return [u];
  if (d.type === 'intersection' && d.left && d.right) return [...objectsOf(d.left, value), ...objectsOf(d.right, value)];
  if (d.type !== 'union' || !d.options) return [];
  const all = d.options.flatMap((o) => objectsOf(o, value));
  const disc = d.discriminator;
  if (!disc || !value || typeof value !== 'object') return all;
  const tag = (value as Record<string, unknown>)[disc];
  const matching = all.filter((o) => {
    const field = o._zod.def.shape?.[disc];
    return field ? (unwrap(field)._zod.def.values ?? []).includes(tag) : false;
  });
  return matching.length ? matching : all;
}

function childOf(s: Schema, seg: PropertyKey, value: unknown): Schema | null {
  const u = unwrap(s);
  const d = u._zod.def;
  if (d.type === 'array' && d.element) return d.element;
  if (d.type === 'record' && d.valueType) return d.valueType;
  for (const o of objectsOf(u, value)) {
    const field = o._zod.def.shape?.[String(seg)];
    if (field) return field;
  }
  return null;
}

/** The keys an object at `path` of `input` may have. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let s: Schema | null = schema as unknown as Schema;
  let v: unknown = input;
  for (const seg of path) {
    s = childOf(s, seg, v);
    if (!s) return [];
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return [...new Set(objectsOf(s, v).flatMap((o) => Object.keys(o._zod.def.shape ?? {})))];
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/**
 * The known key closest to `key`: same letters in another case, a few edits away, or the start of
 * a longer key (`replayWindow` → `replayWindowSeconds`).
 *
 * @example didYouMean('ratePerSecnd', ['ratePerSecond', 'timeoutMs']) // 'ratePerSecond'
 */
export function didYouMean(key: string, known: readonly string[]): string | null {
  const k = key.toLowerCase();
  let best: { key: string; score: number } | null = null;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const d = distance(k, c);
    const score = d <= Math.max(2, Math.floor(k.length / 3)) ? d : k.length >= 4 && (c.startsWith(k) || k.startsWith(c)) ? 10 + Math.abs(c.length - k.length) : Infinity;
    if (score < (best?.score ?? Infinity)) best = { key: candidate, score };
  }
  return best?.key ?? null;
}

/**
 * The problems of a failed parse, one line each (`path: message`), every unknown key on its own
 * line with a did-you-mean. `prefix` is the path of the value in the configuration file.
 */
export function configProblems(schema: z.ZodType, error: z.ZodError, input: unknown, prefix: readonly PropertyKey[] = []): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path, input);
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, known);
        out.push(`${formatPath([...prefix, ...issue.path, key])}: unknown key${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
      }
      continue;
    }
    out.push(`${formatPath([...prefix, ...issue.path]) || '(root)'}: ${issue.message}`);
  }
  return out;
}

/** Only the unknown-key problems (options checked when the file loads; secrets are resolved later). */
export function unknownKeyProblems(schema: z.ZodType, input: unknown, prefix: readonly PropertyKey[] = []): string[] {
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
  return unknown.length ? configProblems(schema, { issues: unknown } as z.ZodError, input, prefix) : [];
}
