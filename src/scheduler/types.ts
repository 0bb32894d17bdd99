/**
 * What the HTTP API may ask of the scheduler (`POST /api/v1/sources/{id}/run`, status pages):
 * declared here, below the HTTP layer, so that the scheduler does not import the API.
 */
export interface SchedulerControl {
  /** Starts a run of one source now; resolves once it has started. Throws `run_in_progress` (409) if one is running. */
  trigger(sourceId: string): Promise<{ sourceId: string; startedAt: string }>;
  status(sourceId: string): SourceScheduleStatus;
}

export interface SourceScheduleStatus {
  schedule: string | null;
  nextRunAt: string | null;
  running: boolean;
  /** Scheduled runs that did not happen (process down, or the previous run still going). */
  missedRuns: { scheduledFor: string; reason: string }[];
}
