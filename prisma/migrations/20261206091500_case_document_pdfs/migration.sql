-- Printable case documents (docs/documents.md): each version's printable model, fixed when it is first printed,
-- its verification code (looked up by GET /documents/verify) and the sha256 and page count of its PDF.

-- AlterTable
ALTER TABLE "case_document_versions" ADD COLUMN     "pdf_pages" INTEGER,
ADD COLUMN     "pdf_sha256" CHAR(64),
ADD COLUMN     "printable" JSONB,
ADD COLUMN     "verification_code" VARCHAR(24);

-- CreateIndex
CREATE UNIQUE INDEX "case_document_versions_verification_code_key" ON "case_document_versions"("verification_code");
