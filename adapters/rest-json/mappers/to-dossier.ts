/**
 * A REST/JSON record → canonical dossier, by the source's declared mapping (the SDK's
 * `compileMapping`: portal field ← raw path, date formats, code tables) or, with
 * `mapping: "portal"`, a record already in the portal's own format. Pure; every issue names the
 * raw field it came from. The pieces live in the SDK (src/sdk/declared.ts), shared by every
 * declared adapter.
 */
export { compiledOf, declaredOptionsOf, portalRecordToDossier, declaredToDossier as toDossier, type DeclaredMapOptions } from '../../../src/sdk/index.ts';
