-- What the registry API records: a station's road, stake, direction and position; a device's code at its
-- station (what the station sends as deviceCode), the serial number becoming optional; a calibration
-- certificate's issuer and a permit's number become optional (not every source states them).
-- No BEGIN/COMMIT: the runner wraps each file in a transaction.

-- AlterTable
ALTER TABLE "stations" ADD COLUMN     "direction" TEXT,
ADD COLUMN     "latitude" DECIMAL(9,6),
ADD COLUMN     "longitude" DECIMAL(9,6),
ADD COLUMN     "road" TEXT,
ADD COLUMN     "stake" TEXT;

-- AlterTable: existing devices take their serial number as their code
ALTER TABLE "devices" ADD COLUMN     "code" TEXT;
UPDATE "devices" SET "code" = "serial_no" WHERE "code" IS NULL;
ALTER TABLE "devices" ALTER COLUMN "code" SET NOT NULL,
ALTER COLUMN "serial_no" DROP NOT NULL;

-- DropIndex: covered by the unique index below (station_id is its first column)
DROP INDEX "devices_station_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "devices_station_id_code_key" ON "devices"("station_id", "code");

-- AlterTable
ALTER TABLE "calibration_certificates" ALTER COLUMN "issuer" DROP NOT NULL;

-- AlterTable
ALTER TABLE "oversize_permits" ALTER COLUMN "permit_no" DROP NOT NULL;
