-- GET /leads pages newest first (created_at DESC, id DESC), with or without a status: without these indexes
-- a page sorted every lead of the status, or every lead (npm run bench:data: a sequential scan of the table).

-- CreateIndex
CREATE INDEX "leads_status_created_at_id_idx" ON "leads"("status", "created_at", "id");

-- CreateIndex
CREATE INDEX "leads_created_at_id_idx" ON "leads"("created_at", "id");
