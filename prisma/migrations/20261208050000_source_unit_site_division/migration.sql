-- Where a cargo source unit loads vehicles (its site), as a 6-digit administrative division code (GB/T 2260).
-- The violation of 湖南省治理货物运输车辆超限超载条例 Art. 13 takes place there, and the county where it lies
-- is competent (Art. 30; 行政处罚法 Art. 22): a sub-case when it is the bureau's, a referral (抄告) otherwise.
-- Unknown for the units already on file: their trips wait for it (no order, no referral) until it is recorded.
ALTER TABLE "cargo_source_units" ADD COLUMN "site_division_code" CHAR(6);
