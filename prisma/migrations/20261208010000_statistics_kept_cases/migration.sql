-- The case figures kept by the database (docs/statistics.md, "The case figures are kept"): every figure of a case
-- (filed, decided, served, closed, terminated, not filed, reports, fines, payments, the four penalties, hearings,
-- legal reviews, deadlines, evaluations, the stage durations, the stocks of open cases and outstanding fines) as
-- kept counts, sums and histograms per (day or month, grouping, key) — a province's year is a few hundred thousand
-- kept rows whatever the number of cases.
--
-- One derivation, written once: statistics_case_figures gives what a case (or a deadline of a lead without a
-- case) contributes, from its rows. Each statement on a table a case figure comes from re-derives the cases it
-- touched: the contributions recorded at the last derivation (statistics_case_contributions) are subtracted and
-- the new ones added, as deltas appended in the writing transaction, so a change of officer, station, decision,
-- payment or termination re-keys exactly and the figures are exact at any snapshot.

-- CreateTable
CREATE TABLE "statistics_case_contributions" (
    "subject_id" UUID NOT NULL,
    "figure" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "station_id" TEXT NOT NULL,
    "case_type" TEXT NOT NULL,
    "officers" TEXT[],
    "bucket" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,
    "amount" DECIMAL(16,2) NOT NULL,

    CONSTRAINT "statistics_case_contributions_pkey" PRIMARY KEY ("subject_id","figure","day","station_id","bucket")
);

-- CreateTable
CREATE TABLE "statistics_case_counts" (
    "dim" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "figure" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,
    "amount" DECIMAL(16,2) NOT NULL,

    CONSTRAINT "statistics_case_counts_pkey" PRIMARY KEY ("dim","grain","day","figure","key","bucket")
);

-- CreateTable
CREATE TABLE "statistics_case_deltas" (
    "id" BIGSERIAL NOT NULL,
    "dim" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "figure" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "n" BIGINT NOT NULL,
    "amount" DECIMAL(16,2) NOT NULL,

    CONSTRAINT "statistics_case_deltas_pkey" PRIMARY KEY ("id")
);

-- The histogram bucket of a duration: hundredths of a day, floored (numeric, exact: a tenth-of-a-day boundary is a
-- bucket boundary, so every value of a bucket rounds to the same tenth).
CREATE FUNCTION "statistics_duration_bucket"("to_at" TIMESTAMPTZ, "from_at" TIMESTAMPTZ) RETURNS INTEGER
  LANGUAGE sql IMMUTABLE AS $$
  SELECT floor(extract(epoch FROM ("to_at" - "from_at")) / 864)::int
$$;

-- What each of `ids` contributes to the case figures, in the same terms as the direct queries of the statistics
-- (libs/statistics/data/src/statistics.repository.ts): a case's events on the day (in `zone`) of their instant,
-- at the station of its lead (a sub-case's: its parent's lead's; a deadline naming a lead: that lead's), its type,
-- its officers; an id that is a deadline of a lead without a case: that deadline. Stocks as flows: an open case
-- +1 on the day it is filed and -1 on the day it is closed or terminated; an outstanding fine the change of
-- GREATEST(fine - paid by then, 0) (0 once terminated) on each day of its decision, payments and termination,
-- so that the sum up to a day is the stock at that day's end. Durations and scores as histogram buckets.
CREATE FUNCTION "statistics_case_figures"("ids" UUID[], "zone" TEXT)
  RETURNS TABLE ("subject_id" UUID, "figure" TEXT, "day" DATE, "station_id" TEXT, "case_type" TEXT,
    "officers" TEXT[], "bucket" INTEGER, "n" BIGINT, "amount" DECIMAL)
  LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  -- PL/pgSQL for its plan, kept for the session: a SQL function of this size is planned at every call (a
  -- millisecond per statement of the application)
  RETURN QUERY
  WITH c AS (
    SELECT c."id", c."type", c."lead_id", c."filed_at", c."decided_at", c."served_at", c."paid_at", c."closed_at",
      c."terminated_at", c."home_authority_reported_at", COALESCE(l."station_id"::text, '') AS "station_id",
      ARRAY(SELECT co."user_id"::text FROM "case_officers" co WHERE co."case_id" = c."id" ORDER BY 1) AS "officers"
    FROM "cases" c
      LEFT JOIN "cases" p ON p."id" = c."parent_case_id"
      LEFT JOIN "leads" l ON l."id" = COALESCE(c."lead_id", p."lead_id")
    WHERE c."id" = ANY("ids")
  ), ev ("subject_id", "figure", "at", "day", "station_id", "bucket", "n", "amount") AS (
    SELECT c."id", 'cases.filed', c."filed_at", NULL::date, NULL::text, 0, 1, 0::numeric FROM c WHERE c."filed_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'durations.noticeToFiling', c."filed_at", NULL, NULL, "statistics_duration_bucket"(c."filed_at", f."sent_at"), 1, 0
    FROM c JOIN "statistics_lead_first_sms" f ON f."lead_id" = c."lead_id" WHERE c."filed_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'cases.decided', c."decided_at", NULL, NULL, 0, 1, 0 FROM c WHERE c."decided_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'durations.filingToDecision', c."decided_at", NULL, NULL, "statistics_duration_bucket"(c."decided_at", c."filed_at"), 1, 0
    FROM c WHERE c."decided_at" IS NOT NULL AND c."filed_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'cases.served', c."served_at", NULL, NULL, 0, 1, 0 FROM c WHERE c."served_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'durations.decisionToService', c."served_at", NULL, NULL, "statistics_duration_bucket"(c."served_at", c."decided_at"), 1, 0
    FROM c WHERE c."served_at" IS NOT NULL AND c."decided_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'durations.serviceToPayment', c."paid_at", NULL, NULL, "statistics_duration_bucket"(c."paid_at", c."served_at"), 1, 0
    FROM c WHERE c."paid_at" IS NOT NULL AND c."served_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'cases.closed', c."closed_at", NULL, NULL, 0, 1, 0 FROM c WHERE c."closed_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'durations.paymentToClosing', c."closed_at", NULL, NULL, "statistics_duration_bucket"(c."closed_at", c."paid_at"), 1, 0
    FROM c WHERE c."closed_at" IS NOT NULL AND c."paid_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'cases.terminated', c."terminated_at", NULL, NULL, 0, 1, 0 FROM c WHERE c."terminated_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'reports.homeAuthority', c."home_authority_reported_at", NULL, NULL, 0, 1, 0
    FROM c WHERE c."home_authority_reported_at" IS NOT NULL
    UNION ALL
    -- open at the end: +1 filed, -1 closed or terminated (not before its filing: a case stopped before it was
    -- filed is never open)
    SELECT c."id", 'cases.openAtEnd', c."filed_at", NULL, NULL, 0, 1, 0 FROM c WHERE c."filed_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'cases.openAtEnd', GREATEST(c."filed_at", LEAST(c."closed_at", c."terminated_at")), NULL, NULL, 0, -1, 0
    FROM c WHERE c."filed_at" IS NOT NULL AND LEAST(c."closed_at", c."terminated_at") IS NOT NULL
    UNION ALL
    SELECT c."id", 'cases.notFiled', a."decided_at", NULL, NULL, 0, 1, 0
    FROM c JOIN "case_approvals" a ON a."case_id" = c."id" AND a."stage" = 'filing' AND a."outcome" = 'rejected'
    UNION ALL
    SELECT c."id", 'fines.imposed', d."decided_at", NULL, NULL, 0, 1, d."fine_amount"
    FROM c JOIN "decisions" d ON d."case_id" = c."id" WHERE d."fine_amount" IS NOT NULL
    UNION ALL
    -- each penalty counts for its kind, and for its kind and the kind of the party the case penalises
    SELECT c."id", 'penalties.' || k."kind"::text || COALESCE('.' || e."party", ''), d."decided_at", NULL, NULL, 0, 1, 0
    FROM c JOIN "decisions" d ON d."case_id" = c."id" CROSS JOIN LATERAL unnest(d."penalty_kinds") AS k("kind")
      LEFT JOIN LATERAL (
        SELECT max(pp."kind"::text) AS "party" FROM "case_parties" cp JOIN "parties" pp ON pp."id" = cp."party_id"
        WHERE cp."case_id" = c."id" AND cp."role" = (CASE c."type" WHEN 'driver' THEN 'driver'
          WHEN 'enterprise' THEN 'enterprise' WHEN 'source_unit' THEN 'source_unit' ELSE 'owner' END)::case_party_role
      ) pk ON TRUE
      CROSS JOIN LATERAL (SELECT NULL::text UNION ALL SELECT pk."party" WHERE pk."party" IS NOT NULL) AS e("party")
    UNION ALL
    SELECT c."id", f."figure", pay."paid_at", NULL, NULL, 0, 1, f."amount"
    FROM c JOIN "payments" pay ON pay."case_id" = c."id"
      CROSS JOIN LATERAL (VALUES ('fines.collected', pay."amount"), ('fines.lateFees', pay."late_fee")) AS f("figure", "amount")
    UNION ALL
    SELECT c."id", 'hearings.requested', s."received_at", NULL, NULL, 0, 1, 0
    FROM c JOIN "statement_records" s ON s."case_id" = c."id" WHERE s."kind" = 'hearing_request' AND s."received_at" IS NOT NULL
    UNION ALL
    SELECT c."id", 'hearings.held', s."held_at", NULL, NULL, 0, 1, 0
    FROM c JOIN "statement_records" s ON s."case_id" = c."id" WHERE s."kind" = 'hearing' AND s."held_at" IS NOT NULL
    UNION ALL
    SELECT c."id", f."figure", r."reviewed_at", NULL, NULL, 0, 1, 0
    FROM c JOIN "legal_reviews" r ON r."case_id" = c."id"
      CROSS JOIN LATERAL (VALUES ('legalReviews.performed'), ('legalReviews.' || r."outcome"::text)) AS f("figure")
    WHERE r."outcome" IS NOT NULL AND r."reviewed_at" IS NOT NULL
    UNION ALL
    -- a deadline counts for its outcome and its kind's; at its own lead's station when it names one
    SELECT c."id", f."figure", dl."due_at", NULL, ol."station_id"::text, 0, 1, 0
    FROM c JOIN "deadlines" dl ON dl."case_id" = c."id"
      LEFT JOIN "leads" ol ON ol."id" = dl."lead_id"
      CROSS JOIN LATERAL (VALUES ('deadlines.' || dl."status"::text), ('deadlines.' || dl."kind"::text || '.' || dl."status"::text)) AS f("figure")
    WHERE dl."status" IN ('met', 'missed')
    UNION ALL
    -- a score is its own bucket: the grades' bounds are those of the policy at the end of the period, applied on reading
    SELECT c."id", 'evaluations.' || e."kind"::text, e."evaluated_at", NULL, NULL, e."score", 1, e."score"
    FROM c JOIN "case_evaluations" e ON e."case_id" = c."id" WHERE e."score" IS NOT NULL
    UNION ALL
    -- fines outstanding: the change of the stock on each day something changes it
    SELECT o."id", 'fines.outstanding', NULL, o."day", NULL, 0, 0, o."v" - COALESCE(lag(o."v") OVER (PARTITION BY o."id" ORDER BY o."day"), 0)
    FROM (
      SELECT x."id", x."day", CASE WHEN x."decided" <= x."day" AND (x."terminated" IS NULL OR x."terminated" > x."day")
          THEN GREATEST(x."fine" - COALESCE((SELECT sum(pay."amount") FROM "payments" pay WHERE pay."case_id" = x."id"
            AND (pay."paid_at" AT TIME ZONE "zone")::date <= x."day"), 0), 0) ELSE 0 END AS "v"
      FROM (
        SELECT DISTINCT y."id", y."fine", y."decided", y."terminated", y."day" FROM (
          SELECT c."id", d."fine_amount" AS "fine", (d."decided_at" AT TIME ZONE "zone")::date AS "decided",
            (c."terminated_at" AT TIME ZONE "zone")::date AS "terminated", dd."day"
          FROM c JOIN "decisions" d ON d."case_id" = c."id"
            CROSS JOIN LATERAL (
              SELECT (d."decided_at" AT TIME ZONE "zone")::date
              UNION ALL SELECT (c."terminated_at" AT TIME ZONE "zone")::date WHERE c."terminated_at" IS NOT NULL
              UNION ALL SELECT (pay."paid_at" AT TIME ZONE "zone")::date FROM "payments" pay WHERE pay."case_id" = c."id"
            ) AS dd("day")
          WHERE d."fine_amount" IS NOT NULL
        ) y
      ) x
    ) o
  )
  SELECT ev."subject_id", ev."figure", COALESCE(ev."day", (ev."at" AT TIME ZONE "zone")::date),
    COALESCE(ev."station_id", c."station_id"), c."type"::text, c."officers", ev."bucket", sum(ev."n")::bigint, sum(ev."amount")
  FROM ev JOIN c ON c."id" = ev."subject_id"
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(ev."n") <> 0 OR sum(ev."amount") <> 0
  UNION ALL
  -- a deadline of a lead without a case: at its lead's station, of no case type and no officer
  SELECT dl."id", f."figure", (dl."due_at" AT TIME ZONE "zone")::date, COALESCE(l."station_id"::text, ''), '', '{}'::text[], 0, 1, 0
  FROM "deadlines" dl LEFT JOIN "leads" l ON l."id" = dl."lead_id"
    CROSS JOIN LATERAL (VALUES ('deadlines.' || dl."status"::text), ('deadlines.' || dl."kind"::text || '.' || dl."status"::text)) AS f("figure")
  WHERE dl."id" = ANY("ids") AND dl."case_id" IS NULL AND dl."status" IN ('met', 'missed');
END $$;

-- Re-derives `ids` (cases, or deadlines of a lead without a case): their recorded contributions out, the new ones
-- in, and the difference appended as deltas for each grouping (the total; the station; the case type; each
-- officer, so a case counts once for each). One derivation of a subject at a time (an advisory lock per subject,
-- taken in order; a statement of many subjects takes one lock for all): writers run READ COMMITTED, so the
-- statements after the lock see what the previous holder committed, and no contribution is subtracted twice or
-- left out.
-- Its statements, and the derivation's, use generic plans: planning the derivation for each set of ids took
-- several times as long as running it for one case.
CREATE FUNCTION "statistics_rederive"("ids" UUID[]) RETURNS void LANGUAGE plpgsql
  SET "plan_cache_mode" = 'force_generic_plan' AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
BEGIN
  IF "ids" IS NULL OR cardinality("ids") = 0 THEN
    RETURN;
  END IF;
  IF cardinality("ids") > 32 THEN
    -- a statement of many cases (a bulk load, a migration): all of them at once, rather than a lock each, which
    -- would fill the server's lock table; it waits for the derivations in progress and holds back new ones
    PERFORM pg_advisory_xact_lock(hashtextextended('statistics_case:*', 0));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('statistics_case:*', 0));
    PERFORM pg_advisory_xact_lock(hashtextextended('statistics_case:' || s."id"::text, 0))
    FROM (SELECT DISTINCT u."id" FROM unnest("ids") AS u("id") ORDER BY 1) s;
  END IF;
  -- only the contributions that changed are rewritten (a payment changes two or three of a case's twenty)
  WITH "derived" AS (
    SELECT * FROM "statistics_case_figures"("ids", zone)
  ), "old" AS (
    DELETE FROM "statistics_case_contributions" k WHERE k."subject_id" = ANY("ids")
      AND NOT EXISTS (SELECT 1 FROM "derived" d WHERE (d."subject_id", d."figure", d."day", d."station_id", d."case_type",
        d."officers", d."bucket", d."n", d."amount") = (k."subject_id", k."figure", k."day", k."station_id", k."case_type",
        k."officers", k."bucket", k."n", k."amount"))
    RETURNING k."figure", k."day", k."station_id", k."case_type", k."officers", k."bucket", -k."n" AS "n", -k."amount" AS "amount"
  ), "new" AS (
    INSERT INTO "statistics_case_contributions" ("subject_id", "figure", "day", "station_id", "case_type", "officers", "bucket", "n", "amount")
    SELECT * FROM "derived" d WHERE NOT EXISTS (SELECT 1 FROM "statistics_case_contributions" k
      WHERE (d."subject_id", d."figure", d."day", d."station_id", d."case_type", d."officers", d."bucket", d."n", d."amount")
        = (k."subject_id", k."figure", k."day", k."station_id", k."case_type", k."officers", k."bucket", k."n", k."amount"))
    RETURNING "figure", "day", "station_id", "case_type", "officers", "bucket", "n", "amount"
  )
  INSERT INTO "statistics_case_deltas" ("dim", "day", "figure", "key", "bucket", "n", "amount")
  SELECT g."dim", r."day", r."figure", g."key", r."bucket", sum(r."n"), sum(r."amount")
  FROM (SELECT * FROM "old" UNION ALL SELECT * FROM "new") r
    CROSS JOIN LATERAL (
      SELECT 'total', '' UNION ALL SELECT 'station', r."station_id" UNION ALL SELECT 'caseType', r."case_type"
      UNION ALL SELECT 'officer', o FROM unnest(r."officers") o
    ) AS g("dim", "key")
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(r."n") <> 0 OR sum(r."amount") <> 0;
END $$;

-- The triggers: each statement re-derives the cases it touched. Static statements, one per operation.
CREATE FUNCTION "statistics_cases_rederive"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "statistics_rederive"(ARRAY(SELECT n."id" FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "statistics_rederive"(ARRAY(SELECT o."id" FROM old_rows o));
  ELSE
    -- only what a figure reads (most updates of a case change its state, version or workflow, and none of these);
    -- a case whose lead changed takes its sub-cases along (their station is its lead's)
    PERFORM "statistics_rederive"(ARRAY(
      SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      WHERE (n."type", n."lead_id", n."parent_case_id", n."filed_at", n."decided_at", n."served_at", n."paid_at",
          n."closed_at", n."terminated_at", n."home_authority_reported_at")
        IS DISTINCT FROM (o."type", o."lead_id", o."parent_case_id", o."filed_at", o."decided_at", o."served_at", o."paid_at",
          o."closed_at", o."terminated_at", o."home_authority_reported_at")
      UNION
      SELECT s."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id" JOIN "cases" s ON s."parent_case_id" = n."id"
      WHERE n."lead_id" IS DISTINCT FROM o."lead_id"));
  END IF;
  RETURN NULL;
END $$;

-- A table whose rows name their case (case_id): the cases of the rows written.
CREATE FUNCTION "statistics_case_rows_rederive"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "statistics_rederive"(ARRAY(SELECT DISTINCT n."case_id" FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "statistics_rederive"(ARRAY(SELECT DISTINCT o."case_id" FROM old_rows o));
  ELSE
    PERFORM "statistics_rederive"(ARRAY(SELECT n."case_id" FROM new_rows n UNION SELECT o."case_id" FROM old_rows o));
  END IF;
  RETURN NULL;
END $$;

-- Deadlines: the case of each (a deadline of a lead without a case is a subject of its own); an update only when
-- something counted changed (the deadline watcher updates alerts and warnings often).
CREATE FUNCTION "statistics_deadlines_rederive"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "statistics_rederive"(ARRAY(SELECT DISTINCT COALESCE(n."case_id", n."id") FROM new_rows n
      WHERE n."status" IN ('met', 'missed')));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "statistics_rederive"(ARRAY(SELECT DISTINCT COALESCE(o."case_id", o."id") FROM old_rows o
      WHERE o."status" IN ('met', 'missed')));
  ELSE
    PERFORM "statistics_rederive"(ARRAY(
      SELECT COALESCE(n."case_id", n."id") FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      WHERE (n."case_id", n."lead_id", n."kind", n."status", n."due_at") IS DISTINCT FROM (o."case_id", o."lead_id", o."kind", o."status", o."due_at")
      UNION
      SELECT COALESCE(o."case_id", o."id") FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      WHERE (n."case_id", n."lead_id", n."kind", n."status", n."due_at") IS DISTINCT FROM (o."case_id", o."lead_id", o."kind", o."status", o."due_at")));
  END IF;
  RETURN NULL;
END $$;

-- A party whose kind changed: the cases it is a party to (the penalised party's kind).
CREATE FUNCTION "statistics_parties_rederive"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "statistics_rederive"(ARRAY(
    SELECT DISTINCT cp."case_id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      JOIN "case_parties" cp ON cp."party_id" = n."id"
    WHERE n."kind" IS DISTINCT FROM o."kind"));
  RETURN NULL;
END $$;

-- A lead whose station changed (the application does not): the counts of its notices (a case's notice: of the
-- case's lead), its first SMS, the station of its cases, and what its cases, their sub-cases and the deadlines
-- naming it contribute move to the new station.
CREATE FUNCTION "statistics_lead_station_rederive"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
  moved UUID[] := ARRAY(SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
    WHERE n."station_id" IS DISTINCT FROM o."station_id");
BEGIN
  IF cardinality(moved) = 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO "statistics_event_deltas" ("figure", "day", "station_id", "subject", "delta")
  SELECT e."figure", e."day", e."station_id", e."subject", sum(s."n")
  FROM (SELECT o."id", o."station_id", -1 AS "n" FROM old_rows o WHERE o."id" = ANY(moved)
        UNION ALL SELECT n."id", n."station_id", 1 FROM new_rows n WHERE n."id" = ANY(moved)) s
    JOIN (SELECT r."lead_id" AS "of_lead", r.*, c."type"::text AS "case_type" FROM "notices" r
            LEFT JOIN "cases" c ON c."id" = r."case_id" WHERE r."lead_id" = ANY(moved)
          UNION ALL
          SELECT c."lead_id", r.*, c."type"::text FROM "cases" c JOIN "notices" r ON r."case_id" = c."id"
          WHERE c."lead_id" = ANY(moved) AND r."lead_id" IS NULL) r ON r."of_lead" = s."id",
    "statistics_notice_events"(r."channel"::text, r."status"::text, r."created_at", r."sent_at", r."delivered_at",
      s."station_id", r."case_type", zone) e
  GROUP BY 1, 2, 3, 4 HAVING sum(s."n") <> 0;
  UPDATE "statistics_lead_first_sms" f SET "station_id" = l."station_id"
  FROM "leads" l WHERE l."id" = f."lead_id" AND f."lead_id" = ANY(moved);
  UPDATE "statistics_case_stations" s SET "station_id" = l."station_id"
  FROM "cases" c LEFT JOIN "cases" p ON p."id" = c."parent_case_id" JOIN "leads" l ON l."id" = COALESCE(c."lead_id", p."lead_id")
  WHERE s."case_id" = c."id" AND l."id" = ANY(moved);
  PERFORM "statistics_rederive"(ARRAY(
    SELECT c."id" FROM "cases" c WHERE c."lead_id" = ANY(moved)
    UNION SELECT s."id" FROM "cases" c JOIN "cases" s ON s."parent_case_id" = c."id" WHERE c."lead_id" = ANY(moved)
    UNION SELECT COALESCE(dl."case_id", dl."id") FROM "deadlines" dl WHERE dl."lead_id" = ANY(moved)));
  RETURN NULL;
END $$;

-- The lead → notice stage: a histogram of the first SMS of each lead (kept by the triggers on notices) by day and
-- station; and the cases of a lead whose first SMS changed re-derived (their notice → filing stage).
CREATE FUNCTION "statistics_first_sms_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
BEGIN
  -- a rebuild recounts the first SMS of every lead, then the case figures from scratch: nothing to follow here
  IF current_setting('statistics.recounting', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_case_deltas" ("dim", "day", "figure", "key", "bucket", "n", "amount")
    SELECT g."dim", (r."sent_at" AT TIME ZONE zone)::date, 'durations.leadToNotice', g."key",
      "statistics_duration_bucket"(r."sent_at", r."lead_created_at"), sum(r."n"), 0
    FROM (SELECT *, 1 AS "n" FROM new_rows) r
      CROSS JOIN LATERAL (SELECT 'total', '' UNION ALL SELECT 'station', r."station_id"::text) AS g("dim", "key")
    GROUP BY 1, 2, 4, 5 HAVING sum(r."n") <> 0;
    PERFORM "statistics_rederive"(ARRAY(SELECT c."id" FROM new_rows n JOIN "cases" c ON c."lead_id" = n."lead_id"));
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "statistics_case_deltas" ("dim", "day", "figure", "key", "bucket", "n", "amount")
    SELECT g."dim", (r."sent_at" AT TIME ZONE zone)::date, 'durations.leadToNotice', g."key",
      "statistics_duration_bucket"(r."sent_at", r."lead_created_at"), sum(r."n"), 0
    FROM (SELECT *, -1 AS "n" FROM old_rows) r
      CROSS JOIN LATERAL (SELECT 'total', '' UNION ALL SELECT 'station', r."station_id"::text) AS g("dim", "key")
    GROUP BY 1, 2, 4, 5 HAVING sum(r."n") <> 0;
    PERFORM "statistics_rederive"(ARRAY(SELECT c."id" FROM old_rows o JOIN "cases" c ON c."lead_id" = o."lead_id"));
  ELSE
    INSERT INTO "statistics_case_deltas" ("dim", "day", "figure", "key", "bucket", "n", "amount")
    SELECT g."dim", (r."sent_at" AT TIME ZONE zone)::date, 'durations.leadToNotice', g."key",
      "statistics_duration_bucket"(r."sent_at", r."lead_created_at"), sum(r."n"), 0
    FROM (SELECT *, 1 AS "n" FROM new_rows UNION ALL SELECT *, -1 FROM old_rows) r
      CROSS JOIN LATERAL (SELECT 'total', '' UNION ALL SELECT 'station', r."station_id"::text) AS g("dim", "key")
    GROUP BY 1, 2, 4, 5 HAVING sum(r."n") <> 0;
    PERFORM "statistics_rederive"(ARRAY(
      SELECT c."id" FROM new_rows n JOIN old_rows o ON o."lead_id" = n."lead_id" JOIN "cases" c ON c."lead_id" = n."lead_id"
      WHERE n."sent_at" IS DISTINCT FROM o."sent_at"));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "cases_statistics_cases_insert" AFTER INSERT ON "cases"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_cases_rederive"();
CREATE TRIGGER "cases_statistics_cases_update" AFTER UPDATE ON "cases"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_cases_rederive"();
CREATE TRIGGER "cases_statistics_cases_delete" AFTER DELETE ON "cases"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_cases_rederive"();

CREATE TRIGGER "decisions_statistics_cases_insert" AFTER INSERT ON "decisions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "decisions_statistics_cases_update" AFTER UPDATE ON "decisions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "decisions_statistics_cases_delete" AFTER DELETE ON "decisions"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "payments_statistics_cases_insert" AFTER INSERT ON "payments"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "payments_statistics_cases_update" AFTER UPDATE ON "payments"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "payments_statistics_cases_delete" AFTER DELETE ON "payments"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "legal_reviews_statistics_cases_insert" AFTER INSERT ON "legal_reviews"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "legal_reviews_statistics_cases_update" AFTER UPDATE ON "legal_reviews"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "legal_reviews_statistics_cases_delete" AFTER DELETE ON "legal_reviews"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "statement_records_statistics_cases_insert" AFTER INSERT ON "statement_records"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "statement_records_statistics_cases_update" AFTER UPDATE ON "statement_records"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "statement_records_statistics_cases_delete" AFTER DELETE ON "statement_records"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_evaluations_statistics_cases_insert" AFTER INSERT ON "case_evaluations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_evaluations_statistics_cases_update" AFTER UPDATE ON "case_evaluations"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_evaluations_statistics_cases_delete" AFTER DELETE ON "case_evaluations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_officers_statistics_cases_insert" AFTER INSERT ON "case_officers"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_officers_statistics_cases_update" AFTER UPDATE ON "case_officers"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_officers_statistics_cases_delete" AFTER DELETE ON "case_officers"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_parties_statistics_cases_insert" AFTER INSERT ON "case_parties"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_parties_statistics_cases_update" AFTER UPDATE ON "case_parties"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_parties_statistics_cases_delete" AFTER DELETE ON "case_parties"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_approvals_statistics_cases_insert" AFTER INSERT ON "case_approvals"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_approvals_statistics_cases_update" AFTER UPDATE ON "case_approvals"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "case_approvals_statistics_cases_delete" AFTER DELETE ON "case_approvals"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_case_rows_rederive"();
CREATE TRIGGER "deadlines_statistics_cases_insert" AFTER INSERT ON "deadlines"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_deadlines_rederive"();
CREATE TRIGGER "deadlines_statistics_cases_update" AFTER UPDATE ON "deadlines"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_deadlines_rederive"();
CREATE TRIGGER "deadlines_statistics_cases_delete" AFTER DELETE ON "deadlines"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_deadlines_rederive"();
CREATE TRIGGER "parties_statistics_cases_update" AFTER UPDATE ON "parties"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_parties_rederive"();
CREATE TRIGGER "leads_statistics_cases_update" AFTER UPDATE ON "leads"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_lead_station_rederive"();
CREATE TRIGGER "statistics_lead_first_sms_insert" AFTER INSERT ON "statistics_lead_first_sms"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_first_sms_delta"();
CREATE TRIGGER "statistics_lead_first_sms_update" AFTER UPDATE ON "statistics_lead_first_sms"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_first_sms_delta"();
CREATE TRIGGER "statistics_lead_first_sms_delete" AFTER DELETE ON "statistics_lead_first_sms"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_first_sms_delta"();

-- Folds the case deltas into the daily and monthly rows (called by the fold of the kept counts, in its
-- transaction: what it deletes is what it adds).
CREATE FUNCTION "statistics_fold_cases"() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  moved BIGINT;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS "statistics_case_moved" ("dim" TEXT, "day" DATE, "figure" TEXT, "key" TEXT,
    "bucket" INTEGER, "n" BIGINT, "amount" DECIMAL) ON COMMIT DROP;
  TRUNCATE "statistics_case_moved";
  WITH d AS (DELETE FROM "statistics_case_deltas" RETURNING "dim", "day", "figure", "key", "bucket", "n", "amount")
  INSERT INTO "statistics_case_moved" SELECT * FROM d;
  GET DIAGNOSTICS moved = ROW_COUNT;
  INSERT INTO "statistics_case_counts" AS k ("dim", "grain", "day", "figure", "key", "bucket", "n", "amount")
  SELECT m."dim", g."grain", g."day", m."figure", m."key", m."bucket", sum(m."n"), sum(m."amount")
  FROM "statistics_case_moved" m
    CROSS JOIN LATERAL (VALUES ('day', m."day"), ('month', date_trunc('month', m."day")::date)) AS g("grain", "day")
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("dim", "grain", "day", "figure", "key", "bucket")
    DO UPDATE SET "n" = k."n" + excluded."n", "amount" = k."amount" + excluded."amount";
  DELETE FROM "statistics_case_counts" k USING (SELECT DISTINCT "dim", "day", "figure" FROM "statistics_case_moved") m
  WHERE k."n" = 0 AND k."amount" = 0 AND k."dim" = m."dim" AND k."figure" = m."figure"
    AND k."day" IN (m."day", date_trunc('month', m."day")::date);
  RETURN moved;
END $$;

-- Recounts the case figures from the rows, in the zone of statistics_settings (after it changed, or after a
-- TRUNCATE, which fires no trigger); the caller holds writes to the tables they come from meanwhile.
CREATE FUNCTION "statistics_recount_cases"() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  zone TEXT := (SELECT "time_zone" FROM "statistics_settings" WHERE "id" = 1);
  kept BIGINT;
BEGIN
  DELETE FROM "statistics_case_deltas";
  DELETE FROM "statistics_case_counts";
  TRUNCATE "statistics_case_contributions";
  INSERT INTO "statistics_case_contributions" ("subject_id", "figure", "day", "station_id", "case_type", "officers", "bucket", "n", "amount")
  SELECT * FROM "statistics_case_figures"(
    ARRAY(SELECT c."id" FROM "cases" c UNION ALL SELECT dl."id" FROM "deadlines" dl WHERE dl."case_id" IS NULL), zone);
  INSERT INTO "statistics_case_counts" ("dim", "grain", "day", "figure", "key", "bucket", "n", "amount")
  SELECT g."dim", 'day', r."day", r."figure", g."key", r."bucket", sum(r."n"), sum(r."amount")
  FROM (
    SELECT "figure", "day", "station_id", "case_type", "officers", "bucket", "n", "amount" FROM "statistics_case_contributions"
    UNION ALL
    SELECT 'durations.leadToNotice', (f."sent_at" AT TIME ZONE zone)::date, f."station_id"::text, NULL, '{}',
      "statistics_duration_bucket"(f."sent_at", f."lead_created_at"), 1, 0
    FROM "statistics_lead_first_sms" f
  ) r
    CROSS JOIN LATERAL (
      SELECT 'total', '' UNION ALL SELECT 'station', r."station_id"
      UNION ALL SELECT 'caseType', r."case_type" WHERE r."case_type" IS NOT NULL
      UNION ALL SELECT 'officer', o FROM unnest(r."officers") o
    ) AS g("dim", "key")
  GROUP BY 1, 3, 4, 5, 6
  HAVING sum(r."n") <> 0 OR sum(r."amount") <> 0;
  INSERT INTO "statistics_case_counts" ("dim", "grain", "day", "figure", "key", "bucket", "n", "amount")
  SELECT "dim", 'month', date_trunc('month', "day")::date, "figure", "key", "bucket", sum("n"), sum("amount")
  FROM "statistics_case_counts" WHERE "grain" = 'day'
  GROUP BY 1, 3, 4, 5, 6
  HAVING sum("n") <> 0 OR sum("amount") <> 0;
  GET DIAGNOSTICS kept = ROW_COUNT;
  RETURN kept;
END $$;

-- The cases, deadlines and first SMS already stored, in the zone the kept counts use.
SELECT "statistics_recount_cases"();
