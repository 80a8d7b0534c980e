-- One vocabulary, second step: the enterprise's provisions (《公路安全保护条例》 Art. 66, a fleet over 10%) revoke
-- the 道路运输经营许可证, not a vehicle's 营运证; 'licence_revocation' was added by the previous migration.
UPDATE "legal_bases"
SET "penalty_kinds" = array_replace("penalty_kinds", 'certificate_revocation', 'licence_revocation')
WHERE 'enterprise_overload_fleet' = ANY ("violation_types")
  AND 'certificate_revocation' = ANY ("penalty_kinds");
