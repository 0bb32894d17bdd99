import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalDossierJsonSchema, portalRecordJsonSchema } from './json-schema.ts';

describe('JSON Schemas for vendors', () => {
  it('docs/dossier.schema.json is the current canonical dossier schema (run npm run schema after a change)', () => {
    expect(JSON.parse(readFileSync('docs/dossier.schema.json', 'utf8'))).toStrictEqual(canonicalDossierJsonSchema());
  });
  it('docs/portal-dossier.schema.json is the current import-record schema', () => {
    const schema = JSON.parse(readFileSync('docs/portal-dossier.schema.json', 'utf8'));
    expect(schema).toStrictEqual(portalRecordJsonSchema());
    expect(schema.required).toEqual(expect.arrayContaining(['MaHoSo', 'MaTTHC', 'NgayTiepNhan', 'TrangThaiHoSo']));
  });
});
