CREATE TABLE "intake_signatures" (
	"source_id" text NOT NULL,
	"signature" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repair_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reconciliation_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"action" text NOT NULL,
	"source_id" text,
	"code" text NOT NULL,
	"dossier_id" bigint,
	"delivery_id" bigint,
	"before" jsonb,
	"after" jsonb,
	"undone_at" timestamp with time zone,
	"undone_by" text,
	"undo_note" text
);
--> statement-breakpoint
CREATE TABLE "stale_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"code" text NOT NULL,
	"as_of" timestamp with time zone,
	"stored_as_of" timestamp with time zone,
	"content_hash" text NOT NULL,
	"raw" text NOT NULL,
	"run_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "as_of" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "intake_signatures_uq" ON "intake_signatures" USING btree ("source_id","signature");--> statement-breakpoint
CREATE INDEX "intake_signatures_expires_idx" ON "intake_signatures" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "repair_actions_reconciliation_idx" ON "repair_actions" USING btree ("reconciliation_id");--> statement-breakpoint
CREATE INDEX "stale_versions_source_code_idx" ON "stale_versions" USING btree ("source_id","code");--> statement-breakpoint
-- Existing dossiers: their as-of is the latest step they record (reception, progress, supplement
-- requests; see src/ledger/as-of.ts), ignoring instants more than a day ahead.
UPDATE "dossiers" SET "as_of" = (
  SELECT max(t) FROM (
    SELECT (x.v)::timestamptz AS t FROM (
      SELECT "canonical"->'dates'->>'submittedAt' AS v UNION ALL SELECT "canonical"->'dates'->>'receivedAt'
      UNION ALL SELECT p->>'at' FROM jsonb_array_elements(coalesce("canonical"->'progress', '[]'::jsonb)) AS p
      UNION ALL SELECT s->>'requestedAt' FROM jsonb_array_elements(coalesce("canonical"->'supplementRequests', '[]'::jsonb)) AS s
      UNION ALL SELECT s->>'receivedAt' FROM jsonb_array_elements(coalesce("canonical"->'supplementRequests', '[]'::jsonb)) AS s
    ) AS x WHERE x.v IS NOT NULL
  ) AS y WHERE t <= now() + interval '1 day'
);
