-- A running run's lease, renewed by its process: a run on another host whose lease expired (or, on
-- the same host, whose process is gone) is marked interrupted by the next process.
ALTER TABLE "runs" ADD COLUMN "lease_until" timestamp with time zone;
