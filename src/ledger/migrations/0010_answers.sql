-- Evidence (issue 14): the portal's answer kept with each receipt, as received with secrets masked.
-- answer_body: the first 64 KiB at most, raw-deflated; answer_hash / answer_length: sha256 and byte
-- length of the whole answer; answer_kept_hash: sha256 of the kept part when the answer was cut
-- (null when kept whole). All four are null on receipts written before this migration and on an
-- exchange that got no answer: their content hash (src/evidence/canonical.ts) is unchanged.
ALTER TABLE "receipts" ADD COLUMN "answer_body" bytea;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "answer_hash" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "answer_length" integer;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "answer_kept_hash" text;
