-- Evidence keys are content-addressed, so one object may back several records; a detection holds one
-- object per evidence kind.

-- DropIndex
DROP INDEX "evidence_objects_key_key";

-- CreateIndex
CREATE INDEX "evidence_objects_key_idx" ON "evidence_objects"("key");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_objects_detection_id_kind_key" ON "evidence_objects"("detection_id", "kind");
