/**
 * `lienthong portal-sim`: runs the national-portal simulator until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors.ts';
import { DEFAULT_BARE_PATHS, DEFAULT_SESSION_PATHS, parseDialects, SIM_DIALECTS, SimFaultsSchema, startPortalSim, type SimFaults, type StartPortalSimOptions } from '../../portal-sim/index.ts';

export const help = `lienthong portal-sim [--port N] [--host H] [--faults JSON] [--username U] [--password-env NAME] [--seed N] [--dialect LIST]
  Runs the simulated national portal (session and bare-array styles, TraCuuHoSo) on loopback.
    --port N            port to listen on (default 9000; 0 = any free port)
    --host H            address to bind (default 127.0.0.1)
    --faults JSON       e.g. '{"p503":0.2,"p429":0.1,"retryAfterSeconds":2,"pHang":0.01,"hangMs":30000,
                        "pReset":0.05,"pLostAck":0.05,"pExpireSession":0.01,"latencyMs":20}'
    --username U        login name (default lienthong)
    --password-env NAME environment variable holding the password (default password: secret)
    --seed N            seed of the fault RNG (default 1)
    --dialect LIST      real-portal behaviours, comma-separated (default none: contract-strict):
                        ${SIM_DIALECTS.join(', ')}
                        (oauth2 client: lienthong / client-secret at POST /oauth2/token)
  Session style: POST ${DEFAULT_SESSION_PATHS.login}, POST ${DEFAULT_SESSION_PATHS.service}
  Bare-array style: POST ${DEFAULT_BARE_PATHS.insert}?MaDinhDanhDV=…&isUpdating=True|False, POST ${DEFAULT_BARE_PATHS.progress}?MaDinhDanhDV=…, GET ${DEFAULT_BARE_PATHS.lookup}?mahoso=…
  Example: npx lienthong portal-sim --port 9000 --faults '{"p503":0.2}'`;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** Parses and validates --faults, listing every problem. */
export function parseFaults(raw: string | undefined): SimFaults {
  if (raw === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(`--faults is not JSON: ${(e as Error).message}`);
  }
  const parsed = SimFaultsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(faults)'}: ${i.message}`);
    throw new ConfigError('--faults is not valid', problems);
  }
  return parsed.data;
}

/** Parses the command line into simulator options (throws ConfigError with a clear message). */
export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): StartPortalSimOptions & { help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        faults: { type: 'string' },
        username: { type: 'string' },
        'password-env': { type: 'string' },
        seed: { type: 'string' },
        dialect: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const passwordEnv = values['password-env'];
  const password = passwordEnv === undefined ? undefined : env[passwordEnv];
  if (passwordEnv !== undefined && !password) throw new ConfigError(`--password-env: environment variable ${passwordEnv} is not set`);
  let dialect;
  try {
    dialect = parseDialects(values.dialect);
  } catch (e) {
    throw new ConfigError(`--dialect: ${(e as Error).message}`);
  }
  return {
    help: values.help,
    ...(dialect.length ? { dialect } : {}),
    port: integer('port', values.port, 9000, 0, 65_535),
    host: values.host ?? '127.0.0.1',
    seed: integer('seed', values.seed, 1, 0, 2 ** 32 - 1),
    faults: parseFaults(values.faults),
    ...(values.username === undefined ? {} : { username: values.username }),
    ...(password === undefined ? {} : { password }),
  };
}

/** Starts the simulator, prints its URL, and resolves with exit code 0 after SIGINT or SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { help: wantsHelp, ...opts } = parseOptions(argv);
  if (wantsHelp) {
    console.log(help);
    return 0;
  }
  const sim = await startPortalSim(opts);
  console.log(`portal simulator listening on ${sim.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
