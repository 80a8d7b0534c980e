-- 《公路安全保护条例》 Art. 66, 《超限运输车辆行驶公路管理规定》 Art. 46: the report of a count to the authority
-- where the party is registered is a numbered case document of its own.
-- AlterEnum
ALTER TYPE "document_kind" ADD VALUE 'home_authority_measure_report' AFTER 'home_authority_report';
