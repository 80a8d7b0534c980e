import { z } from 'zod';
import {
  authorityNameSchema,
  divisionCodeSchema,
  documentNumberSchema,
  isoDateSchema,
  phoneSchema,
  plateColourSchema,
  plateSchema,
  residentIdSchema,
  socialCreditCodeSchema,
  text,
} from './registry-formats';

/**
 * Rows of the vehicle registry imports. Each kind has a natural key on which rows are upserted; the same
 * field names serve as JSON keys and as CSV column headers. Every party carries the number it is known by
 * in law — the unified social credit code of an organisation, the resident identity number of a person —
 * and parties are matched on it, so that one legal person is one party in every role (owner, enterprise,
 * driver, source unit).
 */

/** 车辆: the registered owner/operator answers for the vehicle (一超四罚 1). */
export const vehicleRowSchema = z.strictObject({
  plate: plateSchema,
  plateColour: plateColourSchema,
  ownerName: text(100),
  ownerPhone: phoneSchema,
  /** Resident ID number of a person, or the unified social credit code of an organisation: the owner's party. */
  ownerIdNumber: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .refine(
      (s) => residentIdSchema.safeParse(s).success || socialCreditCodeSchema.safeParse(s).success,
      'not a valid resident ID number or unified social credit code',
    ),
  /** 道路运输经营许可证号 of the enterprise operating it; the enterprise must be registered first. */
  enterpriseLicenceNo: documentNumberSchema,
  /** 车辆营运证号 (road transport certificate). */
  transportCertificateNo: documentNumberSchema,
  axleCount: z.number().int().min(2).max(20).optional(),
  /** Where its 道路运输证 was issued; default: the division of its enterprise. */
  registrationDivisionCode: divisionCodeSchema.optional(),
  /** First issue of its 道路运输证: the start of the yearly counting cycle (超限规定 Art. 46 ¶2). */
  certificateFirstIssuedOn: isoDateSchema.optional(),
});
export type VehicleRow = z.infer<typeof vehicleRowSchema>;

/** 道路运输企业: fleet size is kept as a history, each size with the day it took effect (10% rule, 一超四罚 3). */
export const enterpriseRowSchema = z.strictObject({
  name: text(200),
  /** 统一社会信用代码: the enterprise's party, shared with its other roles (owner, source unit). */
  socialCreditCode: socialCreditCodeSchema,
  licenceNo: documentNumberSchema,
  fleetSize: z.number().int().min(1).max(1_000_000),
  /** The day this fleet size took effect; default: today in the bureau's time zone. */
  fleetSizeEffectiveFrom: isoDateSchema.optional(),
  contactPhone: phoneSchema,
  /** Where its 道路运输经营许可证 was issued; default: the registering division in its credit code. */
  registrationDivisionCode: divisionCodeSchema.optional(),
  /** First issue of its 道路运输经营许可证: the start of its yearly counting cycle. */
  licenceFirstIssuedOn: isoDateSchema.optional(),
});
export type EnterpriseRow = z.infer<typeof enterpriseRowSchema>;

/** 驾驶人 with the 从业资格证 (一超四罚 2). */
export const driverRowSchema = z
  .strictObject({
    name: text(100),
    idNumber: residentIdSchema,
    qualificationCertificateNo: documentNumberSchema,
    phone: phoneSchema,
    /** Where the 从业资格证 was issued; unknown when absent (the Art. 66 order then waits for it). */
    registrationDivisionCode: divisionCodeSchema.optional(),
    /** First issue of the 从业资格证: the start of the driver's yearly counting cycle. */
    qualificationFirstIssuedOn: isoDateSchema.optional(),
    /**
     * The authority that issued the 从业资格证 (发证机关), by name: the report of an Art. 66 count of a driver
     * registered elsewhere is addressed to it (超限规定 Art. 46). Stated with the division it sits in.
     */
    homeAuthority: authorityNameSchema.optional(),
  })
  .refine((row) => !row.homeAuthority || row.registrationDivisionCode, {
    path: ['registrationDivisionCode'],
    message: 'required with homeAuthority: the division of the authority that issued the certificate',
  });
export type DriverRow = z.infer<typeof driverRowSchema>;

/** 货运源头单位 (一超四罚 4). */
export const sourceUnitRowSchema = z.strictObject({
  name: text(200),
  socialCreditCode: socialCreditCodeSchema,
  address: text(300),
  /**
   * Where it loads vehicles (its site): the county there is competent for its violations of 湖南条例 Art. 13
   * (Art. 30; 行政处罚法 Art. 22). Not the registering division of its credit code: a unit registered in one
   * county may load in another. Unknown when absent (its trips then wait for it); kept when a later row omits it.
   */
  siteDivisionCode: divisionCodeSchema.optional(),
});
export type SourceUnitRow = z.infer<typeof sourceUnitRowSchema>;

export const REGISTRY_KINDS = ['vehicles', 'enterprises', 'drivers', 'source-units'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export interface RegistryRowTypes {
  vehicles: VehicleRow;
  enterprises: EnterpriseRow;
  drivers: DriverRow;
  'source-units': SourceUnitRow;
}

interface RowSpec<K extends RegistryKind> {
  schema: z.ZodType<RegistryRowTypes[K]>;
  /** Columns a CSV file must have (the required fields). */
  required: readonly string[];
  /** Every column known (CSV headers; JSON keys). */
  columns: readonly string[];
  /** Columns whose CSV text is read as an integer. */
  integers: readonly string[];
  /** The natural key: rows with the same key in one file are refused. */
  key: (row: RegistryRowTypes[K]) => string;
  /** The field a duplicate key is reported on. */
  keyField: string;
}

function spec<K extends RegistryKind>(
  schema: z.ZodObject & z.ZodType<RegistryRowTypes[K]>,
  integers: readonly string[],
  key: (row: RegistryRowTypes[K]) => string,
  keyField: string,
): RowSpec<K> {
  const columns = Object.keys(schema.shape);
  const required = columns.filter((c) => !schema.shape[c]!.safeParse(undefined).success);
  return { schema, columns, required, integers, key, keyField };
}

export const ROW_SPECS: { [K in RegistryKind]: RowSpec<K> } = {
  vehicles: spec(vehicleRowSchema, ['axleCount'], (r) => `${r.plate}|${r.plateColour}`, 'plate'),
  enterprises: spec(enterpriseRowSchema, ['fleetSize'], (r) => r.licenceNo, 'licenceNo'),
  drivers: spec(driverRowSchema, [], (r) => r.idNumber, 'idNumber'),
  'source-units': spec(sourceUnitRowSchema, [], (r) => r.socialCreditCode, 'socialCreditCode'),
};
