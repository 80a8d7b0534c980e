-- detections partitioned by month of receipt (issue 16, part 3; docs/scaling.md, "Detections by month").
--
-- The partition key is the id: intake makes it a UUIDv7 at receipt (48 bits of Unix milliseconds first), so a
-- month is a range of ids, the primary key stays (id) and every foreign key to a detection stays as it was — a
-- key of a partitioned table must hold the partition key, and a key on (id, detected_at) would have had every
-- referencing table carry detected_at. The idempotency key (station, station's detection id) cannot be unique
-- across partitions without the partition key in it, so it moves to a narrow table of its own, detection_keys,
-- which intake claims in the statement that inserts the detection.
--
-- Detections stored before this migration have random (v4) ids, which belong to no month: they go to the default
-- partition, where they stay (the worker makes each new month around those of them its range holds). This month
-- and three ahead are created here, the later ones by the worker.
--
-- The statistics triggers count what a statement on `detections` itself changes (statement-level triggers of the
-- partitioned table); the rows copied here are already counted, so the triggers are created after the copy.
-- Retention deletes from a partition by its own name, which those triggers do not see: the counts of the past
-- stay as they were.

-- The lowest UUIDv7 of an instant's millisecond (a month's bound), and a random UUIDv7 of an instant (for SQL
-- that makes detections: the data benchmark, tests).
CREATE FUNCTION "uuidv7_floor"("at" TIMESTAMPTZ) RETURNS UUID LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT encode(substring(int8send(floor(extract(epoch FROM "at") * 1000)::bigint) FROM 3) || '\x00000000000000000000'::bytea, 'hex')::uuid
$$;
CREATE FUNCTION "uuidv7_at"("at" TIMESTAMPTZ) RETURNS UUID LANGUAGE sql VOLATILE STRICT AS $$
  SELECT encode(set_bit(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
           PLACING substring(int8send(floor(extract(epoch FROM "at") * 1000)::bigint) FROM 3) FROM 1 FOR 6),
           52, 1), 53, 1), 54, 1), 'hex')::uuid
$$;

-- The idempotency key: (station, the station's detection id) → the detection.
CREATE TABLE "detection_keys" (
    "station_id" UUID NOT NULL,
    "station_detection_id" TEXT NOT NULL,
    "detection_id" UUID NOT NULL,

    CONSTRAINT "detection_keys_pkey" PRIMARY KEY ("station_id", "station_detection_id")
);
INSERT INTO "detection_keys" ("station_id", "station_detection_id", "detection_id")
SELECT "station_id", "station_detection_id", "id" FROM "detections";

-- The tables pointing at detections let go of the old table.
ALTER TABLE "intake_outbox" DROP CONSTRAINT "intake_outbox_detection_id_fkey";
ALTER TABLE "evidence_objects" DROP CONSTRAINT "evidence_objects_detection_id_fkey";
ALTER TABLE "lead_detections" DROP CONSTRAINT "lead_detections_detection_id_fkey";
ALTER TABLE "interception_alerts" DROP CONSTRAINT "interception_alerts_detection_id_fkey";

ALTER TABLE "detections" RENAME TO "detections_unpartitioned";
ALTER TABLE "detections_unpartitioned" RENAME CONSTRAINT "detections_pkey" TO "detections_unpartitioned_pkey";
DROP INDEX "detections_station_id_station_detection_id_key";
DROP INDEX "detections_plate_detected_at_idx";
DROP INDEX "detections_station_id_detected_at_idx";
DROP INDEX "detections_status_received_at_idx";

-- CreateTable
CREATE TABLE "detections" (
    "id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "device_id" UUID,
    "station_detection_id" TEXT NOT NULL,
    "body_digest" CHAR(64) NOT NULL,
    "status" "detection_status" NOT NULL DEFAULT 'accepted',
    "outcome" "detection_outcome",
    "reasons" JSONB,
    "plate" TEXT NOT NULL,
    "plate_colour" "plate_colour",
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "screened_at" TIMESTAMPTZ(3),
    "lane_no" INTEGER,
    "speed_kmh" DECIMAL(5,1),
    "vehicle_type" TEXT,
    "axle_count" INTEGER NOT NULL,
    "gross_mass_kg" INTEGER NOT NULL,
    "axle_loads_kg" INTEGER[],
    "length_mm" INTEGER,
    "width_mm" INTEGER,
    "height_mm" INTEGER,
    "raw" JSONB NOT NULL,
    "duplicate_of_id" UUID,
    "rules" JSONB,

    CONSTRAINT "detections_pkey" PRIMARY KEY ("id")
) PARTITION BY RANGE ("id");

CREATE TABLE "detections_default" PARTITION OF "detections" DEFAULT;

DO $$
DECLARE
  -- UTC wall-clock months, whatever the session's time zone
  month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
  last timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months';
BEGIN
  WHILE month <= last LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "detections" FOR VALUES FROM (%L) TO (%L)',
      'detections_' || to_char(month, 'YYYY_MM'), uuidv7_floor(month AT TIME ZONE 'UTC'),
      uuidv7_floor((month + interval '1 month') AT TIME ZONE 'UTC'));
    month := month + interval '1 month';
  END LOOP;
END $$;

-- CreateIndex
CREATE INDEX "detections_plate_detected_at_idx" ON "detections"("plate", "detected_at");

-- CreateIndex
CREATE INDEX "detections_station_id_detected_at_idx" ON "detections"("station_id", "detected_at");

-- CreateIndex
CREATE INDEX "detections_status_received_at_idx" ON "detections"("status", "received_at");

-- CreateIndex: the few duplicates only (deleting a detection looks here for detections that point at it)
CREATE INDEX "detections_duplicate_of_id_idx" ON "detections"("duplicate_of_id") WHERE "duplicate_of_id" IS NOT NULL;

INSERT INTO "detections" ("id", "station_id", "device_id", "station_detection_id", "body_digest", "status",
  "outcome", "reasons", "plate", "plate_colour", "detected_at", "received_at", "screened_at", "lane_no",
  "speed_kmh", "vehicle_type", "axle_count", "gross_mass_kg", "axle_loads_kg", "length_mm", "width_mm",
  "height_mm", "raw", "duplicate_of_id", "rules")
SELECT "id", "station_id", "device_id", "station_detection_id", "body_digest", "status", "outcome", "reasons",
  "plate", "plate_colour", "detected_at", "received_at", "screened_at", "lane_no", "speed_kmh", "vehicle_type",
  "axle_count", "gross_mass_kg", "axle_loads_kg", "length_mm", "width_mm", "height_mm", "raw",
  "duplicate_of_id", "rules"
FROM "detections_unpartitioned";
DROP TABLE "detections_unpartitioned";

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "detections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "intake_outbox" ADD CONSTRAINT "intake_outbox_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_objects" ADD CONSTRAINT "evidence_objects_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_detections" ADD CONSTRAINT "lead_detections_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interception_alerts" ADD CONSTRAINT "interception_alerts_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detection_keys" ADD CONSTRAINT "detection_keys_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex: one key per detection, found from it by the cascade of the foreign key above
CREATE UNIQUE INDEX "detection_keys_detection_id_key" ON "detection_keys"("detection_id");

-- The statistics' counts of detections (migration 20261206070800), on the partitioned table.
CREATE TRIGGER "detections_statistics_insert" AFTER INSERT ON "detections"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_detection_delta"();
CREATE TRIGGER "detections_statistics_update" AFTER UPDATE ON "detections"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_detection_delta"();
CREATE TRIGGER "detections_statistics_delete" AFTER DELETE ON "detections"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "statistics_detection_delta"();
