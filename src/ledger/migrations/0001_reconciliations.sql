CREATE TABLE "reconciliation_differences" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reconciliation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"unit_code" text,
	"source_id" text,
	"reason" text NOT NULL,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciliations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"host" text,
	"scope" jsonb NOT NULL,
	"counts" jsonb NOT NULL,
	"stats" jsonb,
	"difference_count" integer DEFAULT 0 NOT NULL,
	"repaired" jsonb,
	"exit_code" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD CONSTRAINT "reconciliation_differences_reconciliation_id_reconciliations_id_fk" FOREIGN KEY ("reconciliation_id") REFERENCES "public"."reconciliations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_differences_run_idx" ON "reconciliation_differences" USING btree ("reconciliation_id","code");--> statement-breakpoint
CREATE INDEX "reconciliations_created_idx" ON "reconciliations" USING btree ("created_at");--> statement-breakpoint
-- Checksum bisection (reconcile) walks each source's codes in byte order with their content hash:
-- an index-only scan whatever the database's default collation is.
CREATE INDEX "dossiers_reconcile_key_idx" ON "dossiers" USING btree ("source_id", ("code" COLLATE "C"), "content_hash") WHERE "deleted_at" IS NULL;
