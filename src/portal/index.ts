export { createPortalClient } from './client.ts';
export { UpstreamTimeoutError, isExistsMessage, isSessionProblem, parseRetryAfter } from './classify.ts';
export { MAX_PROGRESS_ITEMS } from './common.ts';
export type {
  LookupResult,
  PortalClient,
  PortalClientOptions,
  PortalExchange,
  PortalExchangeOutcome,
  PortalExchangeService,
  PushResult,
} from './types.ts';
