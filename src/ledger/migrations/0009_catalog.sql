-- The procedure catalogue (danh mục TTHC, issue #10 item 13), filled by `lienthong catalog sync` from
-- a portal or provincial proxy (LayDanhSachTTHC + LayThuTuc) or a file: one row per procedure and
-- version (valid_from), with the time limit deadlines and reports use, the national names and field
-- codes the push fills in, when it was last fetched and when its content last changed.
CREATE TABLE "procedure_catalog" (
	"code" text NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"name" text NOT NULL,
	"field_code" text,
	"field_name" text,
	"time_limit_value" integer NOT NULL,
	"time_limit_unit" text NOT NULL,
	"cutoff" text,
	"pauses_for_payment" boolean DEFAULT false NOT NULL,
	"returns_document" boolean,
	"basis" text,
	"source" text NOT NULL,
	"content_hash" text NOT NULL,
	"raw" jsonb,
	"fetched_at" timestamp with time zone NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "procedure_catalog_code_version_uq" ON "procedure_catalog" USING btree ("code", (coalesce("valid_from", '0001-01-01'::date)));
