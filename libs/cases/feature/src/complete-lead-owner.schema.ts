import { z } from 'zod';
import { partyIdNumberSchema, partyIdentityIssue } from '@ecc/registry-domain';

const PLATE_COLOURS = ['blue', 'yellow', 'green', 'yellow_green', 'white', 'black'] as const;

export const completeLeadOwnerSchema = z.strictObject({
  owner: z
    .strictObject({
      kind: z.enum(['person', 'organisation']),
      name: z.string().trim().min(1).max(200),
      /**
       * 身份证号 of a person, 统一社会信用代码 of an organisation: the owner is matched on it with the registry's
       * parties (one legal person, one party), so it must be valid for the kind.
       */
      idNumber: partyIdNumberSchema,
      /** the SMS notice goes to it */
      phone: z
        .string()
        .trim()
        .regex(/^\+?\d{5,20}$/, 'digits, optionally with a leading +'),
      address: z.string().trim().min(1).max(500).optional(),
    })
    .superRefine((owner, ctx) => {
      const issue = partyIdentityIssue(owner.kind, owner.idNumber);
      if (issue) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: issue });
    }),
  /** needed when the detection did not read the plate colour */
  plateColour: z.enum(PLATE_COLOURS).optional(),
  vehicleType: z.string().trim().min(1).max(100).optional(),
  /** 车籍地 road-transport authority (抄告) */
  homeAuthority: z.string().trim().min(1).max(200).optional(),
});
export type CompleteLeadOwnerInput = z.infer<typeof completeLeadOwnerSchema>;
