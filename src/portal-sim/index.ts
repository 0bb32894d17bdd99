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
