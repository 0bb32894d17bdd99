ALTER TABLE "deliveries" ADD COLUMN "source_id" text;--> statement-breakpoint
UPDATE "deliveries" SET "source_id" = "dossiers"."source_id" FROM "dossiers" WHERE "dossiers"."id" = "deliveries"."dossier_id";--> statement-breakpoint
CREATE INDEX "deliveries_source_due_idx" ON "deliveries" USING btree ("target_id","status","source_id","next_attempt_at");