-- 《湖南省治理货物运输车辆超限超载条例》 Arts. 13, 30: a cargo source unit is ordered to correct within a period
-- (责令改正通知书, a deadline of its own) and checked (整改复查意见书); a fine follows only if it did not correct.
-- AlterEnum
ALTER TYPE "document_kind" ADD VALUE 'correction_order';
ALTER TYPE "document_kind" ADD VALUE 'correction_review';
-- AlterEnum
ALTER TYPE "deadline_kind" ADD VALUE 'correction_period';
