import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '@ecc/shared-config';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';
import { UsersRepository } from '@ecc/identity-data';
import { APP_CONFIG, PRISMA } from '@ecc/platform-nest';
import { PasswordHasher } from './password-hasher';

/** On start, when no admin exists and BOOTSTRAP_ADMIN_* is set, creates that admin (once, even with several instances). */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted = this.config.bootstrapAdmin;
    if (!wanted) return;
    const passwordHash = await this.hasher.hash(wanted.password);
    const created = await this.prisma.$transaction(async (tx) => {
      // Serialises concurrent starts of several API instances.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ecc.bootstrap-admin'))`;
      if ((await this.users.countWithRole(tx, 'admin')) > 0) return null;
      if (await this.users.usernameTaken(tx, wanted.username)) {
        this.logger.warn(
          `no admin exists, but the username ${wanted.username} is taken by a non-admin: not bootstrapped`,
        );
        return null;
      }
      const user = await this.users.create(tx, {
        username: wanted.username,
        passwordHash,
        displayName: 'Administrator',
        roles: ['admin'],
      });
      await recordAudit(tx, {
        actor: systemActor('bootstrap'),
        action: 'user.bootstrapped',
        entityType: 'user',
        entityId: user.id,
        changes: { username: user.username, roles: user.roles },
      });
      return user;
    });
    if (created) this.logger.log(`bootstrap admin ${created.username} created`);
  }
}
