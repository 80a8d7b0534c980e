-- 行政强制法 Arts. 53-55: a written demand (催告书) before the application to the court for compulsory execution
-- (强制执行申请书), both documents of the case.
-- AlterEnum
ALTER TYPE "document_kind" ADD VALUE 'execution_demand';
ALTER TYPE "document_kind" ADD VALUE 'court_application';
