-- Statistics (docs/statistics.md): the indexes the period queries range over, and the detection counts kept by
-- the database itself — detections are tens of millions a year, so the statistics never count that table.

-- CreateTable
CREATE TABLE "statistics_detection_counts" (
    "day" DATE NOT NULL,
    "station_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "detections" BIGINT NOT NULL,

    CONSTRAINT "statistics_detection_counts_pkey" PRIMARY KEY ("day","station_id","outcome")
);

-- CreateTable
CREATE TABLE "statistics_detection_deltas" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "station_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "statistics_detection_deltas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statistics_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "time_zone" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statistics_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_approvals_stage_decided_at_idx" ON "case_approvals"("stage", "decided_at");

-- CreateIndex
CREATE INDEX "case_evaluations_evaluated_at_idx" ON "case_evaluations"("evaluated_at");

-- CreateIndex
CREATE INDEX "cases_filed_at_idx" ON "cases"("filed_at");

-- CreateIndex
CREATE INDEX "cases_decided_at_idx" ON "cases"("decided_at");

-- CreateIndex
CREATE INDEX "cases_closed_at_idx" ON "cases"("closed_at");

-- CreateIndex
CREATE INDEX "cases_terminated_at_idx" ON "cases"("terminated_at");

-- CreateIndex
CREATE INDEX "cases_served_at_idx" ON "cases"("served_at");

-- CreateIndex
CREATE INDEX "cases_paid_at_idx" ON "cases"("paid_at");

-- CreateIndex
CREATE INDEX "cases_home_authority_reported_at_idx" ON "cases"("home_authority_reported_at");

-- CreateIndex
CREATE INDEX "deadlines_due_at_idx" ON "deadlines"("due_at");

-- CreateIndex
CREATE INDEX "decisions_decided_at_idx" ON "decisions"("decided_at");

-- CreateIndex
CREATE INDEX "fences_created_at_idx" ON "fences"("created_at");

-- CreateIndex
CREATE INDEX "fences_lifted_at_idx" ON "fences"("lifted_at");

-- CreateIndex
CREATE INDEX "interception_alerts_raised_at_idx" ON "interception_alerts"("raised_at");

-- CreateIndex
CREATE INDEX "leads_violation_at_idx" ON "leads"("violation_at");

-- CreateIndex
CREATE INDEX "leads_reviewed_at_idx" ON "leads"("reviewed_at");

-- CreateIndex
CREATE INDEX "legal_reviews_reviewed_at_idx" ON "legal_reviews"("reviewed_at");

-- CreateIndex
CREATE INDEX "notices_created_at_idx" ON "notices"("created_at");

-- CreateIndex
CREATE INDEX "notices_sent_at_idx" ON "notices"("sent_at");

-- CreateIndex
CREATE INDEX "notices_lead_id_channel_sent_at_idx" ON "notices"("lead_id", "channel", "sent_at");

-- CreateIndex
CREATE INDEX "payments_paid_at_idx" ON "payments"("paid_at");

-- CreateIndex
CREATE INDEX "statement_records_kind_received_at_idx" ON "statement_records"("kind", "received_at");

-- CreateIndex
CREATE INDEX "statement_records_kind_held_at_idx" ON "statement_records"("kind", "held_at");

-- The days of the counts are those of this zone (the default BUREAU_TIMEZONE); the worker rebuilds the counts
-- when the configured zone differs.
INSERT INTO "statistics_settings" ("id", "time_zone") VALUES (1, 'Asia/Shanghai');

-- Each statement on detections appends its net change per (day, station, outcome) — in the same transaction,
-- so the counts are exact at any snapshot; nothing but an append, so concurrent intake never waits on a row.
CREATE FUNCTION "statistics_detection_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_detection_deltas" ("day", "station_id", "outcome", "delta")
    SELECT ("detected_at" AT TIME ZONE zone)::date, "station_id", COALESCE("outcome"::text, 'pending'), count(*)
    FROM new_rows GROUP BY 1, 2, 3;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "statistics_detection_deltas" ("day", "station_id", "outcome", "delta")
    SELECT ("detected_at" AT TIME ZONE zone)::date, "station_id", COALESCE("outcome"::text, 'pending'), -count(*)
    FROM old_rows GROUP BY 1, 2, 3;
  ELSE
    INSERT INTO "statistics_detection_deltas" ("day", "station_id", "outcome", "delta")
    SELECT "day", "station_id", "outcome", sum("n") FROM (
      SELECT ("detected_at" AT TIME ZONE zone)::date AS "day", "station_id", COALESCE("outcome"::text, 'pending') AS "outcome", 1 AS "n" FROM new_rows
      UNION ALL
      SELECT ("detected_at" AT TIME ZONE zone)::date, "station_id", COALESCE("outcome"::text, 'pending'), -1 FROM old_rows
    ) AS "changes" GROUP BY 1, 2, 3 HAVING sum("n") <> 0;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "detections_statistics_insert" AFTER INSERT ON "detections"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_detection_delta"();
CREATE TRIGGER "detections_statistics_update" AFTER UPDATE ON "detections"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_detection_delta"();
CREATE TRIGGER "detections_statistics_delete" AFTER DELETE ON "detections"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_detection_delta"();

-- The detections already stored.
INSERT INTO "statistics_detection_counts" ("day", "station_id", "outcome", "detections")
SELECT ("detected_at" AT TIME ZONE 'Asia/Shanghai')::date, "station_id", COALESCE("outcome"::text, 'pending'), count(*)
FROM "detections" GROUP BY 1, 2, 3;
