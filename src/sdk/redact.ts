/**
 * Secret option fields: their values, and options safe to show (`***` in place of each secret).
 * Adapters declare them in `secretFields`; every message, log and report goes through these.
 */

/**
 * The secret values held by `options` under `fields` (top level; strings only).
 *
 * @example
 * secretValues({ user: 'a', password: 's3cret' }, ['password']); // ['s3cret']
 */
export function secretValues(options: unknown, fields: readonly string[] = []): string[] {
  if (options === null || typeof options !== 'object') return [];
  const out: string[] = [];
  for (const f of fields) {
    const v = (options as Record<string, unknown>)[f];
    if (typeof v === 'string' && v !== '') out.push(v);
  }
  return out;
}

/**
 * A copy of `options` with every secret field replaced by `***` (also inside a connection URL's
 * password, `postgres://u:***@h/db`).
 *
 * @example
 * redactOptions({ user: 'a', password: 's3cret' }, ['password']); // { user: 'a', password: '***' }
 */
export function redactOptions<T>(options: T, fields: readonly string[] = []): T {
  if (options === null || typeof options !== 'object') return options;
  const out: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  for (const f of fields) if (out[f] !== undefined && out[f] !== null && out[f] !== '') out[f] = '***';
  for (const [k, v] of Object.entries(out)) if (typeof v === 'string') out[k] = redactUrl(v);
  return out as T;
}

/** `scheme://user:password@host` → `scheme://user:***@host`; other text unchanged. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/i, '$1***@');
}

/**
 * `text` with every secret (and its URL-encoded and Base64 forms) replaced by `***`.
 *
 * @example
 * redactText('login failed for s3cret', ['s3cret']); // 'login failed for ***'
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = redactUrl(text);
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])) out = out.split(form).join('***');
  }
  return out;
}
