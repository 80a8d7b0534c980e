-- The authority that issued a driver's 从业资格证, by name: the addressee of the report (抄告函) of an Art. 66
-- count of a driver registered elsewhere (超限运输车辆行驶公路管理规定 Art. 46). Unknown for the drivers already
-- imported: their reports stay addressed by the division code until an import names the authority.
ALTER TABLE "drivers" ADD COLUMN "home_authority" TEXT;
