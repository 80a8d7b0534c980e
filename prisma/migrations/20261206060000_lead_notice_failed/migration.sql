-- AlterEnum
ALTER TYPE "lead_status" ADD VALUE 'notice_failed' BEFORE 'fenced';
