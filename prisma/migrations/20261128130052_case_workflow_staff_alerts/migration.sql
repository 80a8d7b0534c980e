-- AlterTable
ALTER TABLE "cases" ADD COLUMN     "workflow" JSONB;

-- AlterTable
ALTER TABLE "deadlines" ADD COLUMN     "approaching_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "staff_alerts" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "case_id" UUID,
    "lead_id" UUID,
    "kind" TEXT NOT NULL,
    "deadline_id" UUID,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deadlines_status_approaching_at_idx" ON "deadlines"("status", "approaching_at");

-- CreateIndex
CREATE INDEX "staff_alerts_user_id_read_at_created_at_idx" ON "staff_alerts"("user_id", "read_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "staff_alerts_user_id_deadline_id_kind_key" ON "staff_alerts"("user_id", "deadline_id", "kind");

-- AddForeignKey
ALTER TABLE "staff_alerts" ADD CONSTRAINT "staff_alerts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_alerts" ADD CONSTRAINT "staff_alerts_deadline_id_fkey" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE SET NULL ON UPDATE CASCADE;
