-- The derivation of the kept case figures without JIT compilation (docs/statistics.md, "The case figures are
-- kept too"). Its statement runs on a generic plan (plan_cache_mode), whose estimates for an unknown array of
-- cases grow with the kept contributions: at a province's 3 million, the estimated cost passes jit_above_cost and
-- the optimising thresholds, and every statement on a case table compiled 53 functions before running — 0.4-1.5 s
-- a statement where the derivation itself takes about a millisecond. The setting holds for the function and
-- everything it calls.
ALTER FUNCTION "statistics_rederive"(UUID[]) SET "jit" = off;
