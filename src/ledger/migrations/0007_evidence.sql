-- Evidence (issue 14): every receipt is a link of a hash chain per target, with the request body kept.
-- The content hash is computed by the gateway (src/evidence/canonical.ts); the chain link is assigned
-- here, by a trigger, under the per-target head row locked FOR UPDATE: concurrent writers (several
-- workers, a batched insert of many receipts) are serialised per target, so each chain stays linear.
ALTER TABLE "receipts" ADD COLUMN "dossier_code" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "request_body" bytea;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "body_hash" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_target_seq_uq" ON "receipts" USING btree ("target_id","seq");--> statement-breakpoint
CREATE INDEX "receipts_dossier_code_idx" ON "receipts" USING btree ("dossier_code");--> statement-breakpoint
CREATE TABLE "evidence_heads" (
	"target_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"target_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"signature" text NOT NULL,
	"reason" text NOT NULL,
	"run_id" uuid
);
--> statement-breakpoint
CREATE INDEX "evidence_checkpoints_target_seq_idx" ON "evidence_checkpoints" USING btree ("target_id","seq");--> statement-breakpoint
CREATE FUNCTION "receipts_chain_link"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  -- Receipts written without a content hash (none since this migration) stay outside the chain.
  IF NEW.content_hash IS NULL THEN
    RETURN NEW;
  END IF;
  INSERT INTO evidence_heads (target_id, seq, hash) VALUES (NEW.target_id, 0, '') ON CONFLICT (target_id) DO NOTHING;
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM evidence_heads h WHERE h.target_id = NEW.target_id FOR UPDATE;
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.hash := encode(sha256(convert_to(NEW.seq::text || ':' || head_hash || ':' || NEW.content_hash, 'UTF8')), 'hex');
  UPDATE evidence_heads SET seq = NEW.seq, hash = NEW.hash, updated_at = now() WHERE target_id = NEW.target_id;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "receipts_chain" BEFORE INSERT ON "receipts" FOR EACH ROW EXECUTE FUNCTION "receipts_chain_link"();
