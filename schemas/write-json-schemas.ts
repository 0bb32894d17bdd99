import { writeFileSync } from 'node:fs';
import { canonicalDossierJsonSchema, portalRecordJsonSchema } from './json-schema.ts';

writeFileSync('docs/dossier.schema.json', JSON.stringify(canonicalDossierJsonSchema(), null, 2) + '\n');
writeFileSync('docs/portal-dossier.schema.json', JSON.stringify(portalRecordJsonSchema(), null, 2) + '\n');
