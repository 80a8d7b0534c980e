-- The audit hash chain: events are sealed in the order of chain_seq (assigned by the single sealer, not by
-- insertion), each with the hash of its predecessor (prev_hash) and its own (hash).
ALTER TABLE "audit_events" ADD COLUMN "chain_seq" BIGINT;

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_chain_seq_key" ON "audit_events"("chain_seq");

-- CreateIndex
CREATE INDEX "audit_events_action_occurred_at_idx" ON "audit_events"("action", "occurred_at");

-- Signed chain heads, also written to object storage under an immutable key: the copy in the database is a
-- convenience (the last checkpoint, its key); verification trusts only the stored objects.
-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "id" UUID NOT NULL,
    "chain_seq" BIGINT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "head_hash" CHAR(64) NOT NULL,
    "object_key" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_checkpoints_chain_seq_key" ON "audit_checkpoints"("chain_seq");

-- CreateIndex
CREATE UNIQUE INDEX "audit_checkpoints_object_key_key" ON "audit_checkpoints"("object_key");

-- The sha256 actually read back from storage when an evidence object did not match its recorded digest.
ALTER TABLE "evidence_objects" ADD COLUMN "observed_sha256" CHAR(64);

-- CreateIndex
CREATE INDEX "evidence_objects_integrity_status_idx" ON "evidence_objects"("integrity_status");
