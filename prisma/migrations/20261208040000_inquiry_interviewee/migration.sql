-- 被询问人 of an inquiry record (行政处罚法 Art. 55): name, resident ID number and relation to the case, as the
-- 询问笔录 prints it. Records made before this have none (their documents printed the case party).
ALTER TABLE "investigation_records" ADD COLUMN "interviewee" JSONB;
