/** Who does what in the case-handling center (officers, legal reviewers, approvers, auditors, admins). A user may hold several roles. */
export const ROLES = ['officer', 'legal_reviewer', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may read every case, lead and document. */
export const STAFF_ROLES: readonly Role[] = ROLES;
