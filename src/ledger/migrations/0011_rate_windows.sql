-- A target's rate budget shared by every process draining it on one PostgreSQL (issue #13 goal 2,
-- src/outbox/shared-budget.ts): the times (epoch ms, the database's clock) of the last `size` calls
-- granted, a ring at `pos`. A call is granted by one atomic UPDATE when the ring's oldest slot is at
-- least `window_ms` old; `granted` tells the caller whether its UPDATE took the slot.
CREATE TABLE "rate_windows" (
	"target_id" text PRIMARY KEY NOT NULL,
	"size" integer NOT NULL,
	"window_ms" double precision NOT NULL,
	"ring" double precision[] NOT NULL,
	"pos" integer DEFAULT 0 NOT NULL,
	"granted" boolean DEFAULT false NOT NULL
);
