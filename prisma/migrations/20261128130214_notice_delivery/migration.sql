-- AlterEnum
ALTER TYPE "delivery_status" ADD VALUE 'sending';

-- AlterTable
ALTER TABLE "notice_delivery_attempts" ADD COLUMN     "completed_at" TIMESTAMPTZ(3),
ADD COLUMN     "provider" TEXT;

-- AlterTable
ALTER TABLE "notices" ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "sent_at" TIMESTAMPTZ(3),
ALTER COLUMN "respond_by" SET DATA TYPE TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "notice_delivery_attempts_provider_message_id_idx" ON "notice_delivery_attempts"("provider_message_id");
