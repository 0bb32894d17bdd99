import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { redactOptions, redactText } from './redact.ts';
import { resolveSecrets } from './secrets.ts';

describe('resolveSecrets', () => {
  it('sets each <name> from the environment variable its <name>Env option names', () => {
    expect(resolveSecrets({ user: 'a', passwordEnv: 'PW' }, { PW: 's3cret' }, 'src')).toStrictEqual({ user: 'a', passwordEnv: 'PW', password: 's3cret' });
  });
  it('names the source, option and variable when it is not set', () => {
    expect(() => resolveSecrets({ passwordEnv: 'NOPE' }, {}, 'qt-motcua')).toThrow(ConfigError);
    expect(() => resolveSecrets({ passwordEnv: 'NOPE' }, {}, 'qt-motcua')).toThrow(/qt-motcua[\s\S]*options\.passwordEnv[\s\S]*NOPE/);
  });
  it('keeps an explicit value', () => {
    expect(resolveSecrets({ password: 'x', passwordEnv: 'PW' }, {}, 's')).toMatchObject({ password: 'x' });
  });
});

describe('redaction', () => {
  it('hides secret fields and URL passwords', () => {
    expect(redactOptions({ user: 'a', password: 'p', url: 'postgres://u:pw@h/db' }, ['password'])).toStrictEqual({ user: 'a', password: '***', url: 'postgres://u:***@h/db' });
  });
  it('hides a secret and its encoded forms in text', () => {
    expect(redactText(`a s3cr&t ${encodeURIComponent('s3cr&t')} ${Buffer.from('s3cr&t').toString('base64')}`, ['s3cr&t'])).toBe('a *** *** ***');
  });
});
