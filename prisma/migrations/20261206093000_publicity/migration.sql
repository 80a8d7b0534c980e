-- Publicity of penalty decisions (行政处罚法 Art. 48, docs/publicity.md): one publication per decision with
-- its redacted content, and the feed of publications and withdrawals.

-- CreateEnum
CREATE TYPE "publication_status" AS ENUM ('published', 'not_published', 'held', 'withdrawn');

-- CreateEnum
CREATE TYPE "withdrawal_ground" AS ENUM ('reconsideration', 'court', 'self_correction');

-- CreateEnum
CREATE TYPE "publication_event_kind" AS ENUM ('published', 'withdrawn');

-- CreateTable
CREATE TABLE "publications" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "status" "publication_status" NOT NULL,
    "rule" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "content" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by" UUID,
    "withdrawal_ground" "withdrawal_ground",
    "withdrawal_reason" TEXT,
    "withdrawal_reference" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "withdrawal_due_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "publications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "publication_events" (
    "seq" BIGSERIAL NOT NULL,
    "publication_id" UUID NOT NULL,
    "kind" "publication_event_kind" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "body" JSONB NOT NULL,

    CONSTRAINT "publication_events_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "publications_case_id_key" ON "publications"("case_id");

-- CreateIndex
CREATE INDEX "publications_status_published_at_idx" ON "publications"("status", "published_at");

-- CreateIndex
CREATE INDEX "publication_events_publication_id_idx" ON "publication_events"("publication_id");

-- AddForeignKey
ALTER TABLE "publications" ADD CONSTRAINT "publications_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "publication_events" ADD CONSTRAINT "publication_events_publication_id_fkey" FOREIGN KEY ("publication_id") REFERENCES "publications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
