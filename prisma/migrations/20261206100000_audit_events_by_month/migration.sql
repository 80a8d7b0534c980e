-- audit_events partitioned by month of occurred_at (UTC months), so that its indexes, vacuum and time-bounded
-- queries work on a month at a time however long the trail grows (it is never removed). A key of a partitioned
-- table must hold the partition key: the primary key becomes (id, occurred_at), and chain_seq keeps a plain
-- index — the chain's verification requires each event's seq to follow the previous one, so a duplicate is a
-- break either way. The months from the first event's to three ahead are created here, the later ones by the
-- worker ahead of time; an event outside every month goes to audit_events_default rather than failing.
-- The columns keep their order (an event copied out with SELECT * goes back in as it was).

ALTER TABLE "audit_events" RENAME TO "audit_events_unpartitioned";
ALTER TABLE "audit_events_unpartitioned" RENAME CONSTRAINT "audit_events_pkey" TO "audit_events_unpartitioned_pkey";
DROP INDEX "audit_events_chain_seq_key";
DROP INDEX "audit_events_entity_type_entity_id_occurred_at_idx";
DROP INDEX "audit_events_action_occurred_at_idx";
DROP INDEX "audit_events_actor_id_occurred_at_idx";
DROP INDEX "audit_events_occurred_at_idx";

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('audit_events_id_seq'),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_kind" "actor_kind" NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "request_id" TEXT,
    "digest" CHAR(64) NOT NULL,
    "payload" JSONB,
    "prev_hash" CHAR(64),
    "hash" CHAR(64),
    "chain_seq" BIGINT,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id", "occurred_at")
) PARTITION BY RANGE ("occurred_at");
ALTER SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id";

CREATE TABLE "audit_events_default" PARTITION OF "audit_events" DEFAULT;

DO $$
DECLARE
  -- UTC wall-clock months, whatever the session's time zone
  month timestamp := date_trunc('month', COALESCE((SELECT min("occurred_at") FROM "audit_events_unpartitioned"), now()) AT TIME ZONE 'UTC');
  last timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months';
BEGIN
  WHILE month <= last LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "audit_events" FOR VALUES FROM (%L) TO (%L)',
      'audit_events_' || to_char(month, 'YYYY_MM'), month AT TIME ZONE 'UTC', (month + interval '1 month') AT TIME ZONE 'UTC');
    month := month + interval '1 month';
  END LOOP;
END $$;

-- CreateIndex
CREATE INDEX "audit_events_chain_seq_idx" ON "audit_events"("chain_seq");

-- CreateIndex
CREATE INDEX "audit_events_entity_type_entity_id_occurred_at_idx" ON "audit_events"("entity_type", "entity_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_action_occurred_at_idx" ON "audit_events"("action", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_occurred_at_idx" ON "audit_events"("actor_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events"("occurred_at");

INSERT INTO "audit_events" SELECT * FROM "audit_events_unpartitioned";
DROP TABLE "audit_events_unpartitioned";
