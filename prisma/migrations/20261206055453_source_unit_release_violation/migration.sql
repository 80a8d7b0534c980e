-- 《湖南省治理货物运输车辆超限超载条例》 Arts. 13, 30: a cargo source unit that loads an overloaded vehicle or
-- lets it leave is a violation of its own, cited by the catalogue entries seeded at start.
-- AlterEnum
ALTER TYPE "violation_type" ADD VALUE 'source_unit_release';
