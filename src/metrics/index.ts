export { renderMetrics, LATENCY_BUCKETS } from './prometheus.ts';
