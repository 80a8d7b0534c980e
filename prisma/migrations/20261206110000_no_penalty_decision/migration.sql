-- 行政处罚法 Art. 33, 57(1)(二): a decision not to penalise is an outcome of its own, with its document
-- (不予行政处罚决定书).
-- AlterEnum
ALTER TYPE "document_kind" ADD VALUE 'no_penalty_decision';
