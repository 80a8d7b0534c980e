-- AlterTable
ALTER TABLE "notices" ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3),
ADD COLUMN     "resend_of_id" UUID;

-- AlterTable
ALTER TABLE "staff_alerts" ADD COLUMN     "notice_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "notices_resend_of_id_key" ON "notices"("resend_of_id");

-- CreateIndex
CREATE INDEX "notices_status_next_attempt_at_idx" ON "notices"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "staff_alerts_user_id_notice_id_kind_key" ON "staff_alerts"("user_id", "notice_id", "kind");

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_resend_of_id_fkey" FOREIGN KEY ("resend_of_id") REFERENCES "notices"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_alerts" ADD CONSTRAINT "staff_alerts_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE SET NULL ON UPDATE CASCADE;
