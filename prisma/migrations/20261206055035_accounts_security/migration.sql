-- AlterTable
ALTER TABLE "users" ADD COLUMN     "must_change_password" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "password_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "sso_subject" TEXT,
ADD COLUMN     "token_version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "evidence_reopenings" (
    "id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "opened_by_id" UUID NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "evidence_reopenings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "evidence_reopenings_lead_id_closes_at_idx" ON "evidence_reopenings"("lead_id", "closes_at");

-- CreateIndex
CREATE UNIQUE INDEX "users_sso_subject_key" ON "users"("sso_subject");

-- AddForeignKey
ALTER TABLE "evidence_reopenings" ADD CONSTRAINT "evidence_reopenings_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_reopenings" ADD CONSTRAINT "evidence_reopenings_opened_by_id_fkey" FOREIGN KEY ("opened_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
