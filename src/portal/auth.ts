/**
 * How the gateway proves itself to a portal target on every call (`targets[].auth`):
 *
 * | type                        | what goes on each call                                  | renewable |
 * |-----------------------------|---------------------------------------------------------|-----------|
 * | `none`                      | nothing (trusted network, TD/HG bare-array endpoints)     | no        |
 * | `session`                   | the session style's login token, in the envelope          | yes       |
 * | `bearer`                    | `Authorization: Bearer <tokenEnv>`                         | no        |
 * | `header`                    | `<name>: <valueEnv>`                                       | no        |
 * | `oauth2-client-credentials` | `Authorization: Bearer <token>` from `tokenUrl`            | yes       |
 *
 * On a session target, `bearer`, `header` and OAuth2 are a proxy's credential in front of the
 * portal: the session login still happens behind it. OAuth2 tokens are fetched form-encoded
 * (`grant_type=client_credentials`), shared by concurrent calls, kept until shortly before
 * `expires_in` (or `sessionTtlSeconds`), and fetched again when the portal answers 401. Secrets come
 * from the environment and are registered with the transport, so no stored or shown text holds them.
 */
import { z } from 'zod';
import type { TargetConfig } from '../../schemas/config.ts';
import { ConfigError, UpstreamRejectedError, UpstreamSchemaError } from '../errors.ts';
import { createCredentialCache, type Held } from '../net/index.ts';
import { snippet, type HttpAnswer, type Transport, type Verdict } from './transport.ts';
import { httpStatusError } from './classify.ts';

export interface PortalAuth {
  /** The headers of one call; fetches a token first when none is held or it has run out. */
  headers(): Promise<Record<string, string>>;
  /** The portal refused the credential in `used`: forget it, so that the next call fetches a new one. */
  refuse(used: Record<string, string>): void;
  /** Whether a refused credential can be replaced (OAuth2); a static token cannot. */
  readonly renewable: boolean;
}

/** Seconds before `expires_in` a token is dropped: 10 % of its life, at least 5 s and at most 60 s. */
export function tokenMargin(expiresInSeconds: number): number {
  return Math.min(60, Math.max(5, expiresInSeconds * 0.1));
}

const TokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
});

/** Judges a token endpoint's answer (RFC 6749 §5.1); value = the token and its life in seconds. */
export function judgeToken(a: HttpAnswer): Verdict<{ token: string; expiresIn: number | undefined }> {
  if (a.status < 200 || a.status > 299) {
    let detail = snippet(a.text);
    try {
      const j = JSON.parse(a.text) as Record<string, unknown>;
      if (typeof j['error'] === 'string') detail = `${j['error']}${typeof j['error_description'] === 'string' ? `: ${j['error_description']}` : ''}`;
    } catch {
      /* not JSON: the snippet */
    }
    // 400/401 at the token endpoint are refused credentials: not retryable; 5xx and 429 are.
    const error = a.status === 400 || a.status === 401 ? new UpstreamRejectedError(String(a.status), `token refused: ${detail}`, { status: a.status }) : httpStatusError(a.status, a.headers.get('retry-after'), detail, false);
    return { outcome: a.status === 400 || a.status === 401 ? 'rejected' : 'http_error', errorCode: null, message: detail || null, error };
  }
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    json = undefined;
  }
  const parsed = TokenAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const error = new UpstreamSchemaError(`token endpoint answered HTTP ${a.status} without an access_token`, { status: a.status, retryable: true });
    return { outcome: 'schema_error', errorCode: null, message: error.message, error };
  }
  const { access_token: token, token_type: type, expires_in: life } = parsed.data;
  if (type !== undefined && type.toLowerCase() !== 'bearer') {
    const error = new UpstreamSchemaError(`token endpoint gave a token of type "${snippet(type, 40)}"; only Bearer tokens are used`, { status: a.status, retryable: true });
    return { outcome: 'schema_error', errorCode: null, message: error.message, error };
  }
  return { outcome: 'ok', errorCode: null, message: null, value: { token, expiresIn: life === undefined ? undefined : Number(life) } };
}

function secret(target: TargetConfig, env: Record<string, string | undefined>, name: string, what: string): string {
  const v = env[name];
  if (v === undefined || v === '') throw new ConfigError(`target "${target.id}": environment variable ${name} (${what}) is not set`);
  return v;
}

const NO_AUTH: PortalAuth = { headers: () => Promise.resolve({}), refuse: () => undefined, renewable: false };

/**
 * The auth of one target. `session` and `none` add no header (the session client logs in itself).
 * Throws ConfigError when a named environment variable is not set.
 */
export function createAuth(target: TargetConfig, env: Record<string, string | undefined>, transport: Transport, now: () => number = Date.now): PortalAuth {
  const auth = target.auth;
  if (auth === undefined || auth.type === 'none' || auth.type === 'session') return NO_AUTH;
  if (auth.type === 'bearer') {
    const token = secret(target, env, auth.tokenEnv, 'bearer token');
    transport.addSecret(token, true);
    const h = { Authorization: `Bearer ${token}` };
    return { headers: () => Promise.resolve(h), refuse: () => undefined, renewable: false };
  }
  if (auth.type === 'header') {
    const value = secret(target, env, auth.valueEnv, `value of header ${auth.name}`);
    transport.addSecret(value, true);
    const h = { [auth.name]: value };
    return { headers: () => Promise.resolve(h), refuse: () => undefined, renewable: false };
  }
  const oauth = auth;
  const clientSecret = secret(target, env, auth.clientSecretEnv, `client secret of ${auth.clientId}`);
  transport.addSecret(clientSecret, true);
  const form = (s: string) => {
    const p = new URLSearchParams({ grant_type: 'client_credentials', client_id: auth.clientId, client_secret: s });
    if (auth.scope !== undefined) p.set('scope', auth.scope);
    return p.toString();
  };
  async function fetchToken(): Promise<Held<string>> {
    const done = await transport.exchange(
      {
        service: 'login',
        method: 'POST',
        url: oauth.tokenUrl,
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form(clientSecret),
        hashedBody: form('***'),
      },
      judgeToken,
    );
    const { token, expiresIn } = done.value;
    transport.addSecret(token);
    // No expires_in: an hour, as RFC 6749 leaves it to the server; sessionTtlSeconds caps either.
    const life = expiresIn ?? 3600;
    const ttl = Math.min(life - tokenMargin(life), target.sessionTtlSeconds ?? Infinity);
    return { value: token, until: now() + Math.max(1, ttl) * 1000 };
  }

  const tokens = createCredentialCache(fetchToken, now);
  return {
    headers: async () => ({ Authorization: `Bearer ${await tokens.get()}` }),
    refuse(used) {
      // Only drop the token this call used: a concurrent call may already have a new one.
      const bearer = /^Bearer (.+)$/s.exec(used['Authorization'] ?? '');
      if (bearer) tokens.drop(bearer[1]);
    },
    renewable: true,
  };
}
