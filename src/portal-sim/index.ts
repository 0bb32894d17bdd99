export { startPortalSim } from './server.ts';
export { createPortalSimApp, DEFAULT_BARE_PATHS, DEFAULT_SESSION_PATHS } from './app.ts';
export { DEFAULT_PASSWORD, DEFAULT_USERNAME } from './state.ts';
export {
  SimFaultsSchema,
  type PortalSim,
  type PortalSimControl,
  type PortalSimOptions,
  type SimDossier,
  type SimFaults,
  type SimOutcome,
  type SimService,
  type SimStats,
  type StartPortalSimOptions,
} from './types.ts';
export {
  SIM_DIALECTS,
  SIM_TEXT_LIMITS,
  DEFAULT_OAUTH_CLIENT_ID,
  DEFAULT_OAUTH_CLIENT_SECRET,
  OAUTH_TOKEN_PATH,
  MSG_BUSY,
  MSG_EXPIRED_2,
  parseDialects,
  encodeWindows1258,
  type SimDialect,
} from './dialects.ts';
