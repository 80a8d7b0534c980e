-- 驾驶人所属企业 as the investigation of a case found it: the report to the vehicle's home authority names it
-- (《超限运输车辆行驶公路管理规定》 Art. 44(二)). Unknown for the cases investigated before.
ALTER TABLE "cases" ADD COLUMN "driver_employer" TEXT;
