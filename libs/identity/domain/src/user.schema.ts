import { z } from 'zod';
import { PASSWORD_PROBLEM_MESSAGES, passwordProblem } from './password-policy';
import { ROLES, type Role } from './role';

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

const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, 'at least one role')
  .refine((r) => new Set(r).size === r.length, 'roles must not repeat');

const displayNameSchema = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');

/** The identity provider's claim value that signs in as a user (OIDC single sign-on). */
const ssoSubjectSchema = z.string().trim().min(1, 'required').max(255, 'at most 255 characters');

interface Qualified {
  roles: readonly Role[];
  enforcementCertificateNo?: string | null;
  legalQualificationNo?: string | null;
}

/** The qualifications the law ties to a role, as issues of the fields that lack them. */
export function qualificationIssues(user: Qualified): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  // 行政处罚法 Art. 42: enforcement is done by officers holding an enforcement certificate.
  if (user.roles.includes('officer') && !user.enforcementCertificateNo) {
    issues.push({
      path: ['enforcementCertificateNo'],
      message: 'an officer needs an enforcement certificate number (行政处罚法 Art. 42)',
    });
  }
  // 行政处罚法 Art. 58: legal review is done by staff who passed the national legal qualification exam.
  if (user.roles.includes('legal_reviewer') && !user.legalQualificationNo) {
    issues.push({
      path: ['legalQualificationNo'],
      message: 'a legal reviewer needs a legal qualification number (行政处罚法 Art. 58)',
    });
  }
  return issues;
}

/** The password policy as a zod issue of `path` (common passwords, the username inside). */
export function addPasswordIssue(
  ctx: z.RefinementCtx,
  path: string,
  password: string,
  username: string | undefined,
): void {
  const problem = passwordProblem(password, username);
  if (problem) ctx.addIssue({ code: 'custom', path: [path], message: PASSWORD_PROBLEM_MESSAGES[problem] });
}

export const createUserSchema = z
  .strictObject({
    username: usernameSchema,
    password: passwordSchema,
    displayName: displayNameSchema,
    roles: rolesSchema,
    enforcementCertificateNo: certificateNumber.optional(),
    legalQualificationNo: certificateNumber.optional(),
    ssoSubject: ssoSubjectSchema.optional(),
  })
  .superRefine((user, ctx) => {
    for (const issue of qualificationIssues(user)) ctx.addIssue({ code: 'custom', ...issue });
    addPasswordIssue(ctx, 'password', user.password, user.username);
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
  passwordChangeRequired: z
    .boolean()
    .describe('a one-time password was used: only POST /users/me/password and sign-out work until changed'),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** An admin's change of a user: any of these; null clears a number or the single sign-on link. */
export const updateUserSchema = z
  .strictObject({
    displayName: displayNameSchema.optional(),
    roles: rolesSchema.optional(),
    enforcementCertificateNo: certificateNumber.nullable().optional(),
    legalQualificationNo: certificateNumber.nullable().optional(),
    ssoSubject: ssoSubjectSchema.nullable().optional(),
  })
  .refine((u) => Object.keys(u).length > 0, 'nothing to change');
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** Why an account is disabled or enabled: kept in the audit trail. */
export const accountReasonSchema = z.strictObject({
  reason: z.string().trim().min(1, 'required').max(500, 'at most 500 characters'),
});
export type AccountReason = z.infer<typeof accountReasonSchema>;

/** A user's own password change; the policy (common passwords, username) is checked by the use case. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, 'required').max(256, 'at most 256 characters'),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const passwordResetSchema = z.object({
  oneTimePassword: z.string().describe('shown this once; must be replaced at the next sign-in'),
  mustChangePassword: z.literal(true),
});

export const userViewSchema = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  enforcementCertificateNo: z.string().nullable(),
  legalQualificationNo: z.string().nullable(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  ssoSubject: z.string().nullable(),
  createdAt: z.string().datetime(),
});
export type UserView = z.infer<typeof userViewSchema>;
