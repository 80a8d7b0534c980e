import type { CaseOfficer } from '@ecc/cases-domain';
import { DomainError } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';

/**
 * The officers named for a case, as recorded on their users: active, holding the officer role. Their
 * enforcement certificate numbers come from the users table, never from the request (Art. 42 is checked
 * by the state machine on these).
 */
export async function loadCaseOfficers(
  db: Tx | PrismaClient,
  userIds: readonly string[],
): Promise<CaseOfficer[]> {
  const unique = [...new Set(userIds)];
  if (unique.length !== userIds.length) {
    throw new DomainError('validation', 'duplicate_officer', 'an officer is listed twice', {
      errors: [{ path: 'body.officerIds', message: 'an officer is listed twice' }],
    });
  }
  const users = await db.user.findMany({
    where: { id: { in: unique }, active: true, roles: { some: { role: 'officer' } } },
    select: { id: true, enforcementCertificateNo: true },
  });
  const missing = unique.filter((id) => !users.some((u) => u.id === id));
  if (missing.length) {
    throw new DomainError('rule_violation', 'not_an_officer', `not active officers: ${missing.join(', ')}`, {
      userIds: missing,
    });
  }
  return unique.map((id) => ({
    userId: id,
    enforcementCertificateNo: users.find((u) => u.id === id)!.enforcementCertificateNo,
  }));
}
