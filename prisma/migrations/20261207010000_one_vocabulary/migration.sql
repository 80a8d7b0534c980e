-- One vocabulary (issue 12, part 4): the catalogue, the cases, 一超四罚 and the case-file evaluation name the
-- penalties alike (PENALTY_KINDS of @ecc/legal-domain), and stored evidence uses the station protocol's kinds.
-- Written by hand like every migration here; no BEGIN/COMMIT: the runner wraps each file in a transaction.
-- Audit events are history and keep the words they were written with.

-- AlterEnum: the catalogue's words become the cases' words. A bare 'revoke' becomes the certificate's
-- revocation here; the enterprise's provisions are moved to the licence's in the next migration, once the
-- new value is committed (Postgres does not let a transaction use an enum value it added).
ALTER TYPE "legal_penalty_kind" RENAME VALUE 'order_stop' TO 'order_stop_transport';
ALTER TYPE "legal_penalty_kind" RENAME VALUE 'suspend' TO 'business_suspension';
ALTER TYPE "legal_penalty_kind" RENAME VALUE 'revoke' TO 'certificate_revocation';
ALTER TYPE "legal_penalty_kind" ADD VALUE 'licence_revocation' BEFORE 'certificate_revocation';

-- AlterEnum: the station protocol's evidence kinds (docs/station-integration.md) are the stored ones.
ALTER TYPE "evidence_kind" RENAME VALUE 'front_plate' TO 'plate_front';
ALTER TYPE "evidence_kind" RENAME VALUE 'rear_plate' TO 'plate_rear';
ALTER TYPE "evidence_kind" RENAME VALUE 'side_view' TO 'side';

-- The plans of 一超四罚 kept on their Penalty rows (`counts.plan.outcome`, and the measure of a report to the
-- home authority): a revocation names what is revoked — the enterprise's licence, else the vehicle's certificate.
UPDATE "penalties"
SET "counts" = jsonb_set(
  "counts",
  '{plan,outcome}',
  to_jsonb(CASE
    WHEN "counts" #>> '{plan,outcome}' = 'suspend_business' THEN 'business_suspension'
    WHEN "counts" #>> '{plan,role}' = 'enterprise' THEN 'licence_revocation'
    ELSE 'certificate_revocation'
  END)
)
WHERE "counts" #>> '{plan,outcome}' IN ('suspend_business', 'revoke_certificate');

UPDATE "penalties"
SET "counts" = jsonb_set(
  "counts",
  '{homeAuthorityReport,measure}',
  to_jsonb(CASE
    WHEN "counts" #>> '{homeAuthorityReport,measure}' = 'suspend_business' THEN 'business_suspension'
    WHEN "counts" #>> '{homeAuthorityReport,role}' = 'enterprise' THEN 'licence_revocation'
    ELSE 'certificate_revocation'
  END)
)
WHERE "counts" #>> '{homeAuthorityReport,measure}' IN ('suspend_business', 'revoke_certificate');

-- The case-file evaluation policy: an override's `appliesTo` named the old words; a revocation there meant both.
UPDATE "policies" p
SET "value" = jsonb_set(
  p."value",
  '{rules}',
  (
    SELECT jsonb_object_agg(
      r.code,
      CASE
        WHEN jsonb_typeof(r.override -> 'appliesTo') = 'array' THEN jsonb_set(
          r.override,
          '{appliesTo}',
          (
            SELECT jsonb_agg(DISTINCT k ORDER BY k)
            FROM jsonb_array_elements_text(r.override -> 'appliesTo') AS old(kind)
            CROSS JOIN LATERAL unnest(CASE old.kind
              WHEN 'suspend_business' THEN ARRAY['business_suspension']
              WHEN 'revoke_certificate' THEN ARRAY['licence_revocation', 'certificate_revocation']
              ELSE ARRAY[old.kind]
            END) AS k
          )
        )
        ELSE r.override
      END
    )
    FROM jsonb_each(p."value" -> 'rules') AS r(code, override)
  )
)
WHERE p."key" = 'case_file_evaluation'
  AND jsonb_typeof(p."value" -> 'rules') = 'object'
  AND p."value" -> 'rules' <> '{}'::jsonb;
