-- The case workflow applies the hearing right by the party's kind (行政处罚法 Art. 63, policy
-- `hearingThresholds`): the superseded single threshold goes from the stored case policies, which would no
-- longer parse with it (the schema is strict) and would fall back to every default.
UPDATE "policies" SET "value" = "value" - 'hearingThresholdYuan'
WHERE "key" = 'case' AND jsonb_typeof("value") = 'object' AND "value" ? 'hearingThresholdYuan';
