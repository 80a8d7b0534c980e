-- Where a party or vehicle is registered (6-digit administrative division code) decides who takes the measures
-- of 《公路安全保护条例》 Art. 66 (《超限运输车辆行驶公路管理规定》 Art. 46); the first issue of each certificate
-- starts its yearly counting cycle when the bureau counts by cycle (policy).
-- AlterTable
ALTER TABLE "drivers" ADD COLUMN     "qualification_first_issued_on" DATE,
ADD COLUMN     "registration_division_code" CHAR(6);

-- AlterTable
ALTER TABLE "road_transport_enterprises" ADD COLUMN     "licence_first_issued_on" DATE,
ADD COLUMN     "registration_division_code" CHAR(6);

-- AlterTable
ALTER TABLE "vehicles" ADD COLUMN     "certificate_first_issued_on" DATE,
ADD COLUMN     "registration_division_code" CHAR(6);
