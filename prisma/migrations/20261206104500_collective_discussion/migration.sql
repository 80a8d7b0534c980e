-- 行政处罚法 Art. 57 ¶2: a revocation or a suspension is decided by the leaders' collective discussion, whose
-- record (集体讨论记录) is a document of the case.
-- AlterEnum
ALTER TYPE "document_kind" ADD VALUE 'collective_discussion';
