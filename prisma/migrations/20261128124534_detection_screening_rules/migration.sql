-- Screening records every rule it applied on the detection too, not only on a lead.

-- AlterTable
ALTER TABLE "detections" ADD COLUMN     "rules" JSONB;
