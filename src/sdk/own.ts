/**
 * Objects built from untrusted keys. `out[key] = value` with the key `"__proto__"` sets the
 * object's prototype (and everything under it becomes inherited, readable as if the record had it);
 * {@link setOwn} always makes an own property, so such a key stays data.
 */

/** Sets an own enumerable property, even for a key named `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deeper than this, a record is refused (no dossier is nested so; PostgreSQL and the stack have limits). */
export const MAX_RECORD_DEPTH = 64;

/**
 * Issues for a record's shape, found without recursion: an object whose prototype is neither
 * `Object.prototype` nor null (a `"__proto__"` key taken as structure somewhere upstream), and
 * nesting deeper than {@link MAX_RECORD_DEPTH}. Each names the JSON path.
 */
export function shapeIssues(value: unknown): { path: string; code: string; message: string }[] {
  const issues: { path: string; code: string; message: string }[] = [];
  const stack: { node: unknown; at: string; depth: number }[] = [{ node: value, at: '', depth: 0 }];
  while (stack.length) {
    const { node, at, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const isArray = Array.isArray(node);
    const proto: unknown = Object.getPrototypeOf(node);
    if (!isArray && proto !== Object.prototype && proto !== null) {
      issues.push({ path: at, code: 'foreign_prototype', message: 'is an object with an inherited prototype (a "__proto__" key read as structure): refused' });
      continue;
    }
    if (depth >= MAX_RECORD_DEPTH) {
      issues.push({ path: at, code: 'too_deep', message: `is nested deeper than ${MAX_RECORD_DEPTH} levels: the record is quarantined` });
      continue;
    }
    if (isArray) (node as unknown[]).forEach((item: unknown, i) => stack.push({ node: item, at: `${at}[${i}]`, depth: depth + 1 }));
    else for (const key of Object.keys(node)) stack.push({ node: (node as Record<string, unknown>)[key], at: at === '' ? key : `${at}.${key}`, depth: depth + 1 });
  }
  return issues;
}
