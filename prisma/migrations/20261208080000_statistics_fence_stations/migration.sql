-- The station of each fence, kept by the database (docs/statistics.md): the fences deployed and lifted grouped by
-- station read this narrow table instead of probing the leads — a million rows a year — once per fence.

-- CreateTable
CREATE TABLE "statistics_fence_stations" (
    "fence_id" UUID NOT NULL,
    "station_id" UUID NOT NULL,

    CONSTRAINT "statistics_fence_stations_pkey" PRIMARY KEY ("fence_id")
);

-- The station of a fence is its lead's; a fence without a lead has none (no row). A fence's lead is set when it is
-- deployed; an update that changes it (the application does not; deleting the lead sets it null) moves or drops
-- the station; a delete drops it. Statement-level, like the other kept tables: one statement of many fences reads
-- the leads once; an update that changes no fence's lead (a lift) returns after one query.
CREATE FUNCTION "statistics_fence_station"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved UUID[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "statistics_fence_stations" s USING old_rows o WHERE s."fence_id" = o."id";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_fence_stations" ("fence_id", "station_id")
    SELECT n."id", l."station_id" FROM new_rows n JOIN "leads" l ON l."id" = n."lead_id";
  ELSE
    moved := ARRAY(SELECT n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      WHERE n."lead_id" IS DISTINCT FROM o."lead_id");
    IF cardinality(moved) = 0 THEN
      RETURN NULL;
    END IF;
    DELETE FROM "statistics_fence_stations" s WHERE s."fence_id" = ANY(moved);
    INSERT INTO "statistics_fence_stations" ("fence_id", "station_id")
    SELECT n."id", l."station_id" FROM new_rows n JOIN "leads" l ON l."id" = n."lead_id"
    WHERE n."id" = ANY(moved);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "fences_statistics_insert" AFTER INSERT ON "fences"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_fence_station"();
CREATE TRIGGER "fences_statistics_update" AFTER UPDATE ON "fences"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_fence_station"();
CREATE TRIGGER "fences_statistics_delete" AFTER DELETE ON "fences"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_fence_station"();

-- A lead whose station changed (the application does not; the kept case figures follow it too): its fences move
-- to the new station. A trigger of its own on leads, as those of the kept case figures: one query per statement
-- (an index probe of the fences for each lead whose station changed; none for a review).
CREATE FUNCTION "statistics_fence_lead_station"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "statistics_fence_stations" s SET "station_id" = n."station_id"
  FROM new_rows n JOIN old_rows o ON o."id" = n."id" JOIN "fences" f ON f."lead_id" = n."id"
  WHERE n."station_id" IS DISTINCT FROM o."station_id" AND s."fence_id" = f."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "leads_statistics_fences_update" AFTER UPDATE ON "leads"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_fence_lead_station"();

-- Recounts the station of every fence (after a TRUNCATE, which fires no trigger; called by the rebuild of the kept
-- counts, which holds writes to fences and leads meanwhile); also the fences already deployed, here.
CREATE FUNCTION "statistics_recount_fence_stations"() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  fence_rows BIGINT;
BEGIN
  DELETE FROM "statistics_fence_stations";
  INSERT INTO "statistics_fence_stations" ("fence_id", "station_id")
  SELECT f."id", l."station_id" FROM "fences" f JOIN "leads" l ON l."id" = f."lead_id";
  GET DIAGNOSTICS fence_rows = ROW_COUNT;
  RETURN fence_rows;
END $$;

SELECT "statistics_recount_fence_stations"();
