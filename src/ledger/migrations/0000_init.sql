CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"target_id" text NOT NULL,
	"version" integer NOT NULL,
	"delivered_version" integer,
	"portal_has" boolean DEFAULT false NOT NULL,
	"dossier_acked_version" integer,
	"progress_acked" integer DEFAULT 0 NOT NULL,
	"progress_acked_hash" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"last_answer" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"code" text NOT NULL,
	"unit_code" text,
	"procedure_code" text NOT NULL,
	"status" smallint NOT NULL,
	"channel" text,
	"received_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"canonical" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_run_id" uuid,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"record_key" text NOT NULL,
	"location" text,
	"raw" jsonb,
	"raw_text" text,
	"raw_hash" text NOT NULL,
	"issues" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_count" integer DEFAULT 1 NOT NULL,
	"resolved_at" timestamp with time zone,
	"last_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint,
	"dossier_id" bigint,
	"target_id" text NOT NULL,
	"run_id" uuid,
	"attempt" integer DEFAULT 0 NOT NULL,
	"service" text NOT NULL,
	"is_updating" boolean,
	"version" integer,
	"request_hash" text NOT NULL,
	"http_status" integer,
	"error_code" text,
	"message" text,
	"outcome" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'sync' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"exit_code" integer,
	"summary" jsonb,
	"host" text,
	"pid" integer
);
--> statement-breakpoint
CREATE TABLE "source_cursors" (
	"source_id" text PRIMARY KEY NOT NULL,
	"cursor" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_dossier_target_uq" ON "deliveries" USING btree ("dossier_id","target_id");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "deliveries" USING btree ("target_id","status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dossiers_source_code_uq" ON "dossiers" USING btree ("source_id","code");--> statement-breakpoint
CREATE INDEX "dossiers_code_idx" ON "dossiers" USING btree ("code");--> statement-breakpoint
CREATE INDEX "dossiers_unit_received_idx" ON "dossiers" USING btree ("unit_code","received_at");--> statement-breakpoint
CREATE INDEX "dossiers_received_idx" ON "dossiers" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_source_key_uq" ON "quarantine" USING btree ("source_id","record_key");--> statement-breakpoint
CREATE INDEX "quarantine_open_idx" ON "quarantine" USING btree ("source_id","resolved_at");--> statement-breakpoint
CREATE INDEX "receipts_delivery_idx" ON "receipts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "receipts_dossier_idx" ON "receipts" USING btree ("dossier_id");