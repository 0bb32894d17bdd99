import { ConfigError } from '../../errors.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../http/api-keys.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';

export const help = `lienthong apikey create --role admin|operator|viewer --name NAME [--json]
lienthong apikey list [--all] [--json]
lienthong apikey revoke <ID|NAME>
  API keys of the HTTP API (lienthong serve), sent as "Authorization: Bearer <key>". Only a hash is
  stored: the key is printed once, by create. Viewers see citizen ID numbers, phones and e-mails masked;
  operators may also start runs, replay quarantine and retry dead deliveries; admins manage keys.
  Example: npx lienthong apikey create --role viewer --name grafana --json`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { role: { type: 'string' }, name: { type: 'string' }, all: { type: 'boolean', default: false } });
  const [sub, target] = positionals;
  if (values.help || !sub) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  if (sub === 'create') {
    if (!values.role) throw new ConfigError('apikey create needs --role admin|operator|viewer');
    if (!values.name) throw new ConfigError('apikey create needs --name NAME');
  } else if (sub === 'revoke') {
    if (!target) throw new ConfigError('apikey revoke needs the ID or NAME of a key (see `lienthong apikey list`)');
  } else if (sub !== 'list') {
    throw new ConfigError(`unknown subcommand "${sub}" (create, list or revoke)`);
  }
  return withLedger(values.config, async (ledger) => {
    if (sub === 'create') {
      const { key, info } = await createApiKey(ledger, { name: values.name ?? '', role: values.role ?? '' });
      if (values.json) console.log(JSON.stringify({ key, id: info.id, name: info.name, role: info.role }, null, 2));
      else console.log(`${key}\n\nAPI key "${info.name}" (${info.role}, id ${info.id}). Keep it now: it is not stored and cannot be shown again.`);
      return 0;
    }
    if (sub === 'revoke') {
      const n = await revokeApiKey(ledger, target ?? '');
      if (!n) {
        console.error(`lienthong apikey: no active key "${target}"`);
        return 1;
      }
      if (!values.quiet) console.log(`Revoked ${n} key(s).`);
      return 0;
    }
    const keys = await listApiKeys(ledger, { includeRevoked: values.all });
    if (values.json) console.log(JSON.stringify(keys, null, 2));
    else if (!keys.length) console.log('No API keys (create one with `lienthong apikey create`).');
    else console.log(table(['id', 'name', 'role', 'key', 'created', 'last used', 'revoked'], keys.map((k) => [k.id, k.name, k.role, `${k.prefix}…`, k.createdAt, k.lastUsedAt, k.revokedAt])));
    return 0;
  });
}
