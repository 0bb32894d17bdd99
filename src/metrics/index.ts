export { renderMetrics, LATENCY_BUCKETS, BREAKER_STATE_VALUE } from './prometheus.ts';
