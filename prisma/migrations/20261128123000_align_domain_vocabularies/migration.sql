-- Align the enums with the vocabularies of the domain libraries (the cases state machine, the legal-basis
-- catalogue, case-file evaluation) and add the case and deadline columns their snapshots need.
-- Written by hand like every migration here; no BEGIN/COMMIT: the runner wraps each file in a transaction.

-- AlterEnum: the catalogue keeps the legal vocabulary, under its own name
ALTER TYPE "penalty_kind" RENAME TO "legal_penalty_kind";

-- CreateEnum
CREATE TYPE "penalty_kind" AS ENUM ('warning', 'fine', 'order_stop_transport', 'business_suspension', 'licence_revocation', 'certificate_revocation');

-- AlterTable
ALTER TABLE "leads" ALTER COLUMN "proposed_penalty_kind" TYPE "penalty_kind" USING ("proposed_penalty_kind"::text::"penalty_kind");

-- AlterTable
ALTER TABLE "decisions" ALTER COLUMN "penalty_kinds" TYPE "penalty_kind"[] USING ("penalty_kinds"::text[]::"penalty_kind"[]);

-- AlterTable
ALTER TABLE "penalties" ALTER COLUMN "penalty_kind" TYPE "penalty_kind" USING ("penalty_kind"::text::"penalty_kind");

-- AlterEnum
CREATE TYPE "case_state_new" AS ENUM ('draft', 'filing_requested', 'not_filed', 'filed', 'investigating', 'pre_penalty_notified', 'hearing_requested', 'hearing_scheduled', 'heard', 'legal_review', 'returned', 'awaiting_decision', 'decided', 'served', 'executed', 'referred_for_enforcement', 'closed', 'terminated', 'archived');
ALTER TABLE "cases" ALTER COLUMN "state" DROP DEFAULT;
ALTER TABLE "cases" ALTER COLUMN "state" TYPE "case_state_new" USING ("state"::text::"case_state_new");
ALTER TYPE "case_state" RENAME TO "case_state_old";
ALTER TYPE "case_state_new" RENAME TO "case_state";
DROP TYPE "case_state_old";
ALTER TABLE "cases" ALTER COLUMN "state" SET DEFAULT 'draft';

-- AlterEnum
ALTER TYPE "deadline_kind" RENAME VALUE 'hearing_request' TO 'hearing_request_window';
ALTER TYPE "deadline_kind" RENAME VALUE 'statement' TO 'statement_window';
ALTER TYPE "deadline_kind" RENAME VALUE 'decision' TO 'decision_due';
ALTER TYPE "deadline_kind" RENAME VALUE 'service' TO 'service_due';
ALTER TYPE "deadline_kind" RENAME VALUE 'payment' TO 'payment_due';
ALTER TYPE "deadline_kind" RENAME VALUE 'home_authority_report' TO 'home_authority_report_due';
ALTER TYPE "deadline_kind" RENAME VALUE 'publicity' TO 'publicity_due';

-- AlterEnum
ALTER TYPE "document_kind" RENAME VALUE 'service_proof' TO 'proof_of_service';

-- AlterTable
ALTER TABLE "cases" ADD COLUMN     "executed_at" TIMESTAMPTZ(3),
ADD COLUMN     "home_authority_reported_at" TIMESTAMPTZ(3),
ADD COLUMN     "major" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "terminated_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "deadlines" ADD COLUMN     "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "stopped_at" TIMESTAMPTZ(3),
ADD COLUMN     "stopped_by" TEXT;
