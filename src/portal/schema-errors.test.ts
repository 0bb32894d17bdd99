import { describe, expect, it } from 'vitest';
import { UpstreamSchemaError } from '../errors.ts';
import { judgeToken } from './auth.ts';
import { BUILT_IN, judgePush } from './judge.ts';

const answer = (status: number, text: string) => ({ status, headers: new Headers(), text });

describe('UpstreamSchemaError retryable default (#11 item 2)', () => {
  it('is not retryable unless the caller says so', () => {
    expect(new UpstreamSchemaError('src GET /x: not a list').retryable).toBe(false);
    expect(new UpstreamSchemaError('src GET /x: not a list', { retryable: true }).retryable).toBe(true);
    expect(new UpstreamSchemaError('x').code).toBe('upstream_schema');
  });

  it('keeps the portal answers that were retried retryable: an unreadable 2xx push answer and a token answer without access_token', () => {
    const push = judgePush(answer(200, '{"error_code": '), false, BUILT_IN(true), true);
    expect(push.error).toBeInstanceOf(UpstreamSchemaError);
    expect(push.error?.retryable).toBe(true);
    const token = judgeToken(answer(200, JSON.stringify({ token: 'a' })));
    expect(token.error).toBeInstanceOf(UpstreamSchemaError);
    expect(token.error?.retryable).toBe(true);
    const type = judgeToken(answer(200, JSON.stringify({ access_token: 'a', token_type: 'mac' })));
    expect(type.error?.retryable).toBe(true);
  });
});
