import { Injectable } from '@nestjs/common';
import { validationError } from '@ecc/shared-kernel';
import { qualificationIssues, type UpdateUserInput, type UserView } from '@ecc/identity-domain';
import { toUserView, type UserRecord } from '@ecc/identity-data';
import type { CommandContext } from '@ecc/platform-nest';
import { notOnYourself, UserChange } from './user-change';

/**
 * An admin's change of a user's name, roles, qualifications or single sign-on link. Roles take effect on the
 * user's next request (the guard reads them, not the token). An admin cannot change their own roles (no one
 * grants themselves a power), and the last active admin keeps the admin role.
 */
@Injectable()
export class UpdateUserUseCase {
  constructor(private readonly change: UserChange) {}

  execute(userId: string, input: UpdateUserInput, ctx: CommandContext): Promise<UserView> {
    if (input.roles && userId === ctx.actor.id) throw notOnYourself('change the roles of');
    return this.change.run(userId, ctx, async (tx, user) => {
      const after = { ...user, ...input, roles: input.roles ? [...input.roles].sort() : user.roles };
      const issues = qualificationIssues(after);
      if (issues.length > 0) {
        throw validationError(
          'the roles need these qualifications',
          issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })),
        );
      }
      if (!after.roles.includes('admin')) await this.change.keepAnAdmin(tx, user);
      const updated = await this.change.users.update(tx, user.id, input);
      return { action: 'user.updated', changes: diff(user, updated), result: toUserView(updated) };
    });
  }
}

const FIELDS = [
  'displayName',
  'roles',
  'enforcementCertificateNo',
  'legalQualificationNo',
  'ssoSubject',
] as const;

function diff(before: UserRecord, after: UserRecord) {
  const changed = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  return {
    before: Object.fromEntries(changed.map((f) => [f, before[f]])),
    after: Object.fromEntries(changed.map((f) => [f, after[f]])),
  };
}
