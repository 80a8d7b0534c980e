-- CreateTable
CREATE TABLE "lead_responses" (
    "id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "responded_at" TIMESTAMPTZ(3) NOT NULL,
    "channel" TEXT NOT NULL,
    "note" TEXT,
    "recorded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_responses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "lead_responses_lead_id_key" ON "lead_responses"("lead_id");

-- AddForeignKey
ALTER TABLE "lead_responses" ADD CONSTRAINT "lead_responses_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
