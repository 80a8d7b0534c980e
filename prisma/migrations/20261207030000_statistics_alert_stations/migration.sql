-- The station of each interception alert, kept by the database (docs/statistics.md): the interceptions grouped by
-- station read this narrow table instead of probing the detections — tens of millions a year — once per alert.

-- CreateTable
CREATE TABLE "statistics_alert_stations" (
    "alert_id" UUID NOT NULL,
    "station_id" UUID NOT NULL,

    CONSTRAINT "statistics_alert_stations_pkey" PRIMARY KEY ("alert_id")
);

-- The station of an alert is its detection's. An alert's detection is set when it is raised; an update that
-- changes it (the application does not) recomputes the station; a delete drops it. Statement-level, like the
-- other kept tables: one statement of many alerts reads the detections once.
CREATE FUNCTION "statistics_alert_station"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "statistics_alert_stations" s USING old_rows o WHERE s."alert_id" = o."id";
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO "statistics_alert_stations" ("alert_id", "station_id")
    SELECT n."id", d."station_id" FROM new_rows n JOIN "detections" d ON d."id" = n."detection_id";
  ELSE
    INSERT INTO "statistics_alert_stations" ("alert_id", "station_id")
    SELECT n."id", d."station_id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
      JOIN "detections" d ON d."id" = n."detection_id"
    WHERE n."detection_id" IS DISTINCT FROM o."detection_id"
    ON CONFLICT ("alert_id") DO UPDATE SET "station_id" = excluded."station_id";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "interception_alerts_statistics_insert" AFTER INSERT ON "interception_alerts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_alert_station"();
CREATE TRIGGER "interception_alerts_statistics_update" AFTER UPDATE ON "interception_alerts"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_alert_station"();
CREATE TRIGGER "interception_alerts_statistics_delete" AFTER DELETE ON "interception_alerts"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_alert_station"();

-- Recounts the station of every alert (after a TRUNCATE, which fires no trigger; called by the rebuild of the
-- kept counts, which holds writes to interception_alerts meanwhile); also the alerts already raised, here.
CREATE FUNCTION "statistics_recount_alert_stations"() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  alert_rows BIGINT;
BEGIN
  DELETE FROM "statistics_alert_stations";
  INSERT INTO "statistics_alert_stations" ("alert_id", "station_id")
  SELECT a."id", d."station_id" FROM "interception_alerts" a JOIN "detections" d ON d."id" = a."detection_id";
  GET DIAGNOSTICS alert_rows = ROW_COUNT;
  RETURN alert_rows;
END $$;

SELECT "statistics_recount_alert_stations"();
