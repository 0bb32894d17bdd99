-- What each source has in flight to a target (leased, not finished), read by every claim to take
-- sources in turn (src/outbox/queue.ts claimDue). Partial: only leased pending rows, a few per sender,
-- never the backlog.
CREATE INDEX "deliveries_in_flight_idx" ON "deliveries" USING btree ("target_id","source_id","lease_until") WHERE "status" = 'pending' AND "lease_until" IS NOT NULL;
