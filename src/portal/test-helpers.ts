/**
 * Shared by this folder's tests: contract fixtures, target configs, and an msw recorder.
 * Not exported through the door.
 */
import { readFileSync } from 'node:fs';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { TargetConfigSchema, type TargetConfig } from '../../schemas/config.ts';

export const BASE = 'http://portal.test';
export const PASSWORD = 'mật-khẩu-bí-mật';
export const ENV = { PORTAL_PASSWORD: PASSWORD };

/** A contract fixture, parsed, plus its exact text. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../test/fixtures/contract/${name}.json`, import.meta.url), 'utf8')) as T;
}

export function sessionTarget(extra: Record<string, unknown> = {}): TargetConfig {
  return TargetConfigSchema.parse({
    id: 'dvcqg',
    style: 'session',
    baseUrl: BASE,
    unitCode: '000.00.00.H56',
    username: 'motcua_h56',
    passwordEnv: 'PORTAL_PASSWORD',
    ...extra,
  });
}

export function bareTarget(extra: Record<string, unknown> = {}): TargetConfig {
  return TargetConfigSchema.parse({ id: 'hg', style: 'bare-array', baseUrl: BASE, unitCode: '000.00.00.H56', ...extra });
}

export interface Captured {
  method: string;
  url: string;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

/** Records every request msw sees, in order. */
export function recorder(): { seen: Captured[]; record: (request: Request) => Promise<Captured> } {
  const seen: Captured[] = [];
  return {
    seen,
    async record(request: Request) {
      const bytes = Buffer.from(await request.clone().arrayBuffer());
      const c = { method: request.method, url: request.url, headers: request.headers, text: bytes.toString('utf8'), bytes };
      seen.push(c);
      return c;
    },
  };
}

/** A login endpoint answering fixture E (session "3b8f0c2e-…"). */
export function loginHandler(rec: ReturnType<typeof recorder>, answers: JsonBodyType[] = [fixture('e-login-answer')]) {
  let n = 0;
  return http.post(`${BASE}/auth`, async ({ request }) => {
    await rec.record(request);
    const answer = answers[Math.min(n, answers.length - 1)] ?? null;
    n += 1;
    return HttpResponse.json(answer);
  });
}
