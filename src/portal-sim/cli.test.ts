import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseFaults, parseOptions } from '../cli/commands/portal-sim.ts';

describe('lienthong portal-sim options', () => {
  it('defaults to 127.0.0.1:9000 without faults', () => {
    expect(parseOptions([], {})).toEqual({ help: false, port: 9000, host: '127.0.0.1', seed: 1, faults: {} });
  });

  it('reads the password from the named variable, never from the command line', () => {
    const o = parseOptions(['--username', 'motcua_h56', '--password-env', 'SIM_PW', '--port', '0', '--seed', '7'], { SIM_PW: 'p@ss' });
    expect(o).toMatchObject({ username: 'motcua_h56', password: 'p@ss', port: 0, seed: 7 });
    expect(() => parseOptions(['--password-env', 'SIM_PW'], {})).toThrow(/SIM_PW is not set/);
  });

  it('lists every problem of --faults', () => {
    expect(parseFaults('{"p503":0.2,"retryAfterSeconds":2}')).toEqual({ p503: 0.2, retryAfterSeconds: 2 });
    const err = (() => {
      try {
        parseFaults('{"p503":2,"p5O3":0.1}');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(['p503: Too big: expected number to be <=1', '(faults): Unrecognized key: "p5O3"']);
    expect(() => parseFaults('{p503:1}')).toThrow(/--faults is not JSON/);
  });

  it('refuses an unknown option and a bad port', () => {
    expect(() => parseOptions(['--prot', '1'], {})).toThrow(ConfigError);
    expect(() => parseOptions(['--port', '70000'], {})).toThrow(/--port/);
  });
});
