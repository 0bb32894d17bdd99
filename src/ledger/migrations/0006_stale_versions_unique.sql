-- One row per refused version: keep the latest of any duplicates before the unique index.
DELETE FROM "stale_versions" a USING "stale_versions" b
  WHERE a."source_id" = b."source_id" AND a."code" = b."code" AND a."content_hash" = b."content_hash" AND a."id" < b."id";--> statement-breakpoint
DROP INDEX "stale_versions_source_code_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "stale_versions_source_code_hash_idx" ON "stale_versions" USING btree ("source_id","code","content_hash");