export { drainTarget, type TargetSummary, type DrainOptions } from './drain.ts';
export { deliverOne, backoffMs, type DeliveryClient, type DeliveryOutcome } from './deliver.ts';
export { claimDue, leaseOwnerName, releaseOrphanedLeases, targetCounts } from './queue.ts';
export { receiptWriter, exchangeScope, type ExchangeRecord } from './receipts.ts';
export { RateLimiter } from './rate-limit.ts';
