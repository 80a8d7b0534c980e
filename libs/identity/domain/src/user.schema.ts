import { z } from 'zod';
import { ROLES } from './role';

export const usernameSchema = z
  .string()
  .min(3, 'at least 3 characters')
  .max(64, 'at most 64 characters')
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const passwordSchema = z
  .string()
  .min(12, 'at least 12 characters')
  .max(256, 'at most 256 characters')
  .refine((p) => p.trim().length === p.length, 'must not start or end with whitespace');

/** 执法证号: the enforcement certificate number printed on an officer's card. */
const certificateNumber = z
  .string()
  .trim()
  .min(4, 'at least 4 characters')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and "-" only');

export const createUserSchema = z
  .strictObject({
    username: usernameSchema,
    password: passwordSchema,
    displayName: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
    roles: z
      .array(z.enum(ROLES))
      .min(1, 'at least one role')
      .refine((r) => new Set(r).size === r.length, 'roles must not repeat'),
    enforcementCertificateNo: certificateNumber.optional(),
    legalQualificationNo: certificateNumber.optional(),
  })
  .superRefine((user, ctx) => {
    // 行政处罚法 Art. 42: enforcement is done by officers holding an enforcement certificate.
    if (user.roles.includes('officer') && !user.enforcementCertificateNo) {
      ctx.addIssue({
        code: 'custom',
        path: ['enforcementCertificateNo'],
        message: 'an officer needs an enforcement certificate number (行政处罚法 Art. 42)',
      });
    }
    // 行政处罚法 Art. 58: legal review is done by staff who passed the national legal qualification exam.
    if (user.roles.includes('legal_reviewer') && !user.legalQualificationNo) {
      ctx.addIssue({
        code: 'custom',
        path: ['legalQualificationNo'],
        message: 'a legal reviewer needs a legal qualification number (行政处罚法 Art. 58)',
      });
    }
  });
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const tokenRequestSchema = z.strictObject({
  username: z.string().min(1, 'required').max(64, 'at most 64 characters'),
  password: z.string().min(1, 'required').max(256, 'at most 256 characters'),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('seconds'),
});

export const userViewSchema = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  enforcementCertificateNo: z.string().nullable(),
  legalQualificationNo: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string().datetime(),
});
export type UserView = z.infer<typeof userViewSchema>;
