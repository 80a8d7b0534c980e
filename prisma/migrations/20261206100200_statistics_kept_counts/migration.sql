-- Statistics kept by the database (docs/statistics.md): the daily counts of leads (formed; reviewed, by outcome
-- and officer) and notices (by channel and state), kept like the detection counts, the first SMS of each lead,
-- and the station of each case — a province has a million leads and notices a year, too many to count or join
-- for every request.

-- CreateTable
CREATE TABLE "statistics_event_counts" (
    "figure" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "station_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "events" BIGINT NOT NULL,

    CONSTRAINT "statistics_event_counts_pkey" PRIMARY KEY ("figure","day","station_id","subject")
);

-- CreateTable
CREATE TABLE "statistics_event_deltas" (
    "id" BIGSERIAL NOT NULL,
    "figure" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "station_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "statistics_event_deltas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statistics_lead_first_sms" (
    "lead_id" UUID NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "lead_created_at" TIMESTAMPTZ(3) NOT NULL,
    "station_id" UUID NOT NULL,

    CONSTRAINT "statistics_lead_first_sms_pkey" PRIMARY KEY ("lead_id")
);

-- CreateTable
CREATE TABLE "statistics_case_stations" (
    "case_id" UUID NOT NULL,
    "station_id" UUID,

    CONSTRAINT "statistics_case_stations_pkey" PRIMARY KEY ("case_id")
);

-- CreateIndex
CREATE INDEX "statistics_lead_first_sms_sent_at_idx" ON "statistics_lead_first_sms"("sent_at");

-- The figures one lead counts in: formed on the day of its violation at its station; reviewed (confirmed, or
-- rejected) on the day of its review, at its station, for its reviewing officer ('' when none is recorded).
-- (status, station, violation instant, review instant, reviewing officer, zone)
CREATE FUNCTION "statistics_lead_events"(TEXT, UUID, TIMESTAMPTZ, TIMESTAMPTZ, UUID, TEXT)
  RETURNS TABLE ("figure" TEXT, "day" DATE, "station_id" TEXT, "subject" TEXT)
  LANGUAGE sql STABLE AS $$
  SELECT 'leads.formed', ($3 AT TIME ZONE $6)::date, $2::text, ''
  UNION ALL
  SELECT CASE WHEN $1 = 'rejected' THEN 'leads.rejected' ELSE 'leads.confirmed' END,
    ($4 AT TIME ZONE $6)::date, $2::text, COALESCE($5::text, '')
  WHERE $4 IS NOT NULL
$$;

-- The figures one notice counts in, on the day it was created, at the station of its lead (a case's notice: of
-- the case's lead; '' when none) and for its case's type ('' when it has no case): created, sent, delivered,
-- failed, each of its channel.
-- (channel, status, creation, sending and delivery instants, station, case type, zone)
CREATE FUNCTION "statistics_notice_events"(TEXT, TEXT, TIMESTAMPTZ, TIMESTAMPTZ, TIMESTAMPTZ, UUID, TEXT, TEXT)
  RETURNS TABLE ("figure" TEXT, "day" DATE, "station_id" TEXT, "subject" TEXT)
  LANGUAGE sql STABLE AS $$
  SELECT 'notices.' || $1 || '.' || e.state, ($3 AT TIME ZONE $8)::date, COALESCE($6::text, ''), COALESCE($7, '')
  FROM (VALUES ('created', TRUE), ('sent', $4 IS NOT NULL), ('delivered', $5 IS NOT NULL),
    ('failed', $2 = 'failed')) AS e(state, counted)
  WHERE e.counted
$$;

-- Each statement on leads appends its net change per (figure, day, station, officer), in the same transaction —
-- exact at any snapshot, and only appends, so concurrent reviews never wait on a shared counter row. A statement
-- that changes nothing counted (most updates of a lead) appends nothing. Static statements, one per operation
-- (each names the transition tables that operation has), so PL/pgSQL plans them once per session.
CREATE FUNCTION "statistics_lead_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
    SELECT e."figure", e."day", e."station_id", e."subject", sum(r."n")
    FROM (SELECT *, 1 AS "n" FROM new_rows) r,
      "statistics_lead_events"(r."status"::text, r."station_id", r."violation_at", r."reviewed_at", r."reviewed_by_id", zone) e
    GROUP BY 1, 2, 3, 4 HAVING sum(r."n") <> 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
    SELECT e."figure", e."day", e."station_id", e."subject", sum(r."n")
    FROM (SELECT *, -1 AS "n" FROM old_rows) r,
      "statistics_lead_events"(r."status"::text, r."station_id", r."violation_at", r."reviewed_at", r."reviewed_by_id", zone) e
    GROUP BY 1, 2, 3, 4 HAVING sum(r."n") <> 0;
  ELSE
    INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
    SELECT e."figure", e."day", e."station_id", e."subject", sum(r."n")
    FROM (SELECT *, 1 AS "n" FROM new_rows UNION ALL SELECT *, -1 FROM old_rows) r,
      "statistics_lead_events"(r."status"::text, r."station_id", r."violation_at", r."reviewed_at", r."reviewed_by_id", zone) e
    GROUP BY 1, 2, 3, 4 HAVING sum(r."n") <> 0;
  END IF;
  RETURN NULL;
END $$;

-- Each statement on notices: the same for the notice counts, and the first SMS of each lead it touches — an
-- earlier SMS replaces the kept one (under the kept row's lock, so concurrent sends for one lead stay right); an
-- SMS deleted, or whose lead, channel or sending instant changed (the application does neither), has its lead's
-- first SMS recomputed from the notices.
CREATE FUNCTION "statistics_notice_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
    SELECT e."figure", e."day", e."station_id", e."subject", sum(r."n")
    FROM (SELECT *, 1 AS "n" FROM new_rows) r
      LEFT JOIN "cases" c ON c."id" = r."case_id"
      LEFT JOIN "leads" l ON l."id" = COALESCE(r."lead_id", c."lead_id"),
      "statistics_notice_events"(r."channel"::text, r."status"::text, r."created_at", r."sent_at", r."delivered_at",
        l."station_id", c."type"::text, zone) e
    GROUP BY 1, 2, 3, 4 HAVING sum(r."n") <> 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
    SELECT e."figure", e."day", e."station_id", e."subject", sum(r."n")
    FROM (SELECT *, -1 AS "n" FROM old_rows) r
      LEFT JOIN "cases" c ON c."id" = r."case_id"
      LEFT JOIN "leads" l ON l."id" = COALESCE(r."lead_id", c."lead_id"),
      "statistics_notice_events"(r."channel"::text, r."status"::text, r."created_at", r."sent_at", r."delivered_at",
        l."station_id", c."type"::text, zone) e
    GROUP BY 1, 2, 3, 4 HAVING sum(r."n") <> 0;
    WITH "dropped" AS (
      DELETE FROM "statistics_lead_first_sms" f USING (SELECT DISTINCT "lead_id" FROM old_rows WHERE "channel" = 'sms' AND "sent_at" IS NOT NULL) g WHERE f."lead_id" = g."lead_id" RETURNING f."lead_id"
    )
    INSERT INTO "statistics_lead_first_sms" AS f ("lead_id", "sent_at", "lead_created_at", "station_id")
    SELECT n."lead_id", min(n."sent_at"), l."created_at", l."station_id"
    FROM "dropped" d JOIN "notices" n ON n."lead_id" = d."lead_id" JOIN "leads" l ON l."id" = n."lead_id"
    WHERE n."channel" = 'sms' AND n."sent_at" IS NOT NULL
    GROUP BY n."lead_id", l."created_at", l."station_id"
    ON CONFLICT ("lead_id") DO UPDATE SET "sent_at" = LEAST(f."sent_at", excluded."sent_at");
  ELSE
    INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
    SELECT e."figure", e."day", e."station_id", e."subject", sum(r."n")
    FROM (SELECT *, 1 AS "n" FROM new_rows UNION ALL SELECT *, -1 FROM old_rows) r
      LEFT JOIN "cases" c ON c."id" = r."case_id"
      LEFT JOIN "leads" l ON l."id" = COALESCE(r."lead_id", c."lead_id"),
      "statistics_notice_events"(r."channel"::text, r."status"::text, r."created_at", r."sent_at", r."delivered_at",
        l."station_id", c."type"::text, zone) e
    GROUP BY 1, 2, 3, 4 HAVING sum(r."n") <> 0;
    WITH "dropped" AS (
      DELETE FROM "statistics_lead_first_sms" f USING (SELECT DISTINCT o."lead_id" FROM old_rows o
      WHERE o."channel" = 'sms' AND o."sent_at" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM new_rows s
        WHERE s."id" = o."id" AND s."lead_id" IS NOT DISTINCT FROM o."lead_id" AND s."channel" = o."channel"
          AND s."sent_at" IS NOT DISTINCT FROM o."sent_at")) g WHERE f."lead_id" = g."lead_id" RETURNING f."lead_id"
    )
    INSERT INTO "statistics_lead_first_sms" AS f ("lead_id", "sent_at", "lead_created_at", "station_id")
    SELECT n."lead_id", min(n."sent_at"), l."created_at", l."station_id"
    FROM "dropped" d JOIN "notices" n ON n."lead_id" = d."lead_id" JOIN "leads" l ON l."id" = n."lead_id"
    WHERE n."channel" = 'sms' AND n."sent_at" IS NOT NULL
    GROUP BY n."lead_id", l."created_at", l."station_id"
    ON CONFLICT ("lead_id") DO UPDATE SET "sent_at" = LEAST(f."sent_at", excluded."sent_at");
  END IF;
  -- an SMS sent earlier than the kept first one (or the first): only then is the kept row written, and locked —
  -- a later SMS, or an update that leaves the sending instant as it was (a delivery receipt), touches no kept row
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_lead_first_sms" AS f ("lead_id", "sent_at", "lead_created_at", "station_id")
    SELECT n."lead_id", min(n."sent_at"), l."created_at", l."station_id"
    FROM new_rows n JOIN "leads" l ON l."id" = n."lead_id"
    WHERE n."channel" = 'sms' AND n."sent_at" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "statistics_lead_first_sms" k WHERE k."lead_id" = n."lead_id" AND k."sent_at" <= n."sent_at")
    GROUP BY n."lead_id", l."created_at", l."station_id"
    ON CONFLICT ("lead_id") DO UPDATE SET "sent_at" = excluded."sent_at" WHERE excluded."sent_at" < f."sent_at";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "statistics_lead_first_sms" AS f ("lead_id", "sent_at", "lead_created_at", "station_id")
    SELECT n."lead_id", min(n."sent_at"), l."created_at", l."station_id"
    FROM new_rows n JOIN "leads" l ON l."id" = n."lead_id"
    WHERE n."channel" = 'sms' AND n."sent_at" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM old_rows o WHERE o."id" = n."id" AND o."sent_at" IS NOT DISTINCT FROM n."sent_at"
        AND o."lead_id" IS NOT DISTINCT FROM n."lead_id" AND o."channel" = n."channel")
      AND NOT EXISTS (SELECT 1 FROM "statistics_lead_first_sms" k WHERE k."lead_id" = n."lead_id" AND k."sent_at" <= n."sent_at")
    GROUP BY n."lead_id", l."created_at", l."station_id"
    ON CONFLICT ("lead_id") DO UPDATE SET "sent_at" = excluded."sent_at" WHERE excluded."sent_at" < f."sent_at";
  END IF;
  RETURN NULL;
END $$;

-- The station of each case: its lead's, a sub-case's its parent's lead's (null when there is none). A case's lead
-- and parent are set when it is created; an update that changes either (the application does not) recomputes it.
CREATE FUNCTION "statistics_case_station"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "statistics_case_stations" s USING old_rows o WHERE s."case_id" = o."id";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_case_stations" ("case_id", "station_id")
    SELECT n."id", l."station_id" FROM new_rows n
      LEFT JOIN "cases" p ON p."id" = n."parent_case_id"
      LEFT JOIN "leads" l ON l."id" = COALESCE(n."lead_id", p."lead_id");
  ELSE
    INSERT INTO "statistics_case_stations" ("case_id", "station_id")
    SELECT n."id", l."station_id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      LEFT JOIN "cases" p ON p."id" = n."parent_case_id"
      LEFT JOIN "leads" l ON l."id" = COALESCE(n."lead_id", p."lead_id")
    WHERE n."lead_id" IS DISTINCT FROM o."lead_id" OR n."parent_case_id" IS DISTINCT FROM o."parent_case_id"
    ON CONFLICT ("case_id") DO UPDATE SET "station_id" = excluded."station_id";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "cases_statistics_insert" AFTER INSERT ON "cases"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_station"();
CREATE TRIGGER "cases_statistics_update" AFTER UPDATE ON "cases"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_station"();
CREATE TRIGGER "cases_statistics_delete" AFTER DELETE ON "cases"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_station"();
CREATE TRIGGER "leads_statistics_insert" AFTER INSERT ON "leads"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_lead_delta"();
CREATE TRIGGER "leads_statistics_update" AFTER UPDATE ON "leads"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_lead_delta"();
CREATE TRIGGER "leads_statistics_delete" AFTER DELETE ON "leads"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_lead_delta"();
CREATE TRIGGER "notices_statistics_insert" AFTER INSERT ON "notices"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_notice_delta"();
CREATE TRIGGER "notices_statistics_update" AFTER UPDATE ON "notices"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_notice_delta"();
CREATE TRIGGER "notices_statistics_delete" AFTER DELETE ON "notices"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_notice_delta"();

-- Recounts the kept lead and notice counts from the rows, in the zone of statistics_settings (after it changed,
-- or after a TRUNCATE, which fires no trigger), the first SMS of each lead and the station of each case; the
-- caller holds writes to leads, notices and cases meanwhile.
CREATE FUNCTION "statistics_recount_events"() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
  lead_rows BIGINT;
  notice_rows BIGINT;
BEGIN
  DELETE FROM "statistics_event_deltas";
  DELETE FROM "statistics_event_counts";
  INSERT INTO "statistics_event_counts" ("figure", "day", "station_id", "subject", "events")
  SELECT e."figure", e."day", e."station_id", e."subject", count(*)
  FROM "leads" r,
    "statistics_lead_events"(r."status"::text, r."station_id", r."violation_at", r."reviewed_at", r."reviewed_by_id", zone) e
  GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS lead_rows = ROW_COUNT;
  INSERT INTO "statistics_event_counts" ("figure", "day", "station_id", "subject", "events")
  SELECT e."figure", e."day", e."station_id", e."subject", count(*)
  FROM "notices" r
    LEFT JOIN "cases" c ON c."id" = r."case_id"
    LEFT JOIN "leads" l ON l."id" = COALESCE(r."lead_id", c."lead_id"),
    "statistics_notice_events"(r."channel"::text, r."status"::text, r."created_at", r."sent_at", r."delivered_at",
      l."station_id", c."type"::text, zone) e
  GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS notice_rows = ROW_COUNT;
  DELETE FROM "statistics_lead_first_sms";
  INSERT INTO "statistics_lead_first_sms" ("lead_id", "sent_at", "lead_created_at", "station_id")
  SELECT n."lead_id", min(n."sent_at"), l."created_at", l."station_id"
  FROM "notices" n JOIN "leads" l ON l."id" = n."lead_id"
  WHERE n."channel" = 'sms' AND n."sent_at" IS NOT NULL
  GROUP BY n."lead_id", l."created_at", l."station_id";
  DELETE FROM "statistics_case_stations";
  INSERT INTO "statistics_case_stations" ("case_id", "station_id")
  SELECT c."id", l."station_id" FROM "cases" c
    LEFT JOIN "cases" p ON p."id" = c."parent_case_id"
    LEFT JOIN "leads" l ON l."id" = COALESCE(c."lead_id", p."lead_id");
  RETURN lead_rows + notice_rows;
END $$;

-- The leads and notices already stored, in the zone the detection counts use.
SELECT "statistics_recount_events"();
