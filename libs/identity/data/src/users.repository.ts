import type { PrismaClient, Tx } from '@ecc/shared-data';
import type { Role, UserView } from '@ecc/identity-domain';

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  displayName: string;
  active: boolean;
  roles: Role[];
  enforcementCertificateNo: string | null;
  legalQualificationNo: string | null;
  tokenVersion: number;
  mustChangePassword: boolean;
  ssoSubject: string | null;
  createdAt: Date;
}

/** What every authenticated request checks of its user (read through a short cache). */
export interface SessionState {
  id: string;
  username: string;
  active: boolean;
  tokenVersion: number;
  mustChangePassword: boolean;
  roles: Role[];
}

/** An admin's change of a user's profile; roles replace the current ones. */
export interface UserChanges {
  displayName?: string;
  roles?: readonly Role[];
  enforcementCertificateNo?: string | null;
  legalQualificationNo?: string | null;
  ssoSubject?: string | null;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  displayName: string;
  roles: readonly Role[];
  enforcementCertificateNo?: string;
  legalQualificationNo?: string;
  ssoSubject?: string;
}

const withRoles = { roles: { select: { role: true } } } as const;

type Row = Omit<UserRecord, 'roles'> & { roles: { role: Role }[] };
const toRecord = (row: Row): UserRecord => ({ ...row, roles: row.roles.map((r) => r.role).sort() });

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    enforcementCertificateNo: user.enforcementCertificateNo,
    legalQualificationNo: user.legalQualificationNo,
    active: user.active,
    mustChangePassword: user.mustChangePassword,
    ssoSubject: user.ssoSubject,
    createdAt: user.createdAt.toISOString(),
  };
}

/** Users and their roles in Postgres. */
export class UsersRepository {
  constructor(private readonly db: PrismaClient) {}

  async findByUsername(username: string): Promise<UserRecord | null> {
    const row = await this.db.user.findUnique({ where: { username }, include: withRoles });
    return row ? toRecord(row as Row) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = await this.db.user.findUnique({ where: { id }, include: withRoles });
    return row ? toRecord(row as Row) : null;
  }

  async findBySsoSubject(ssoSubject: string): Promise<UserRecord | null> {
    const row = await this.db.user.findUnique({ where: { ssoSubject }, include: withRoles });
    return row ? toRecord(row as Row) : null;
  }

  /** One statement: the hot path of every authenticated request when its cache entry is stale. */
  async findSessionState(id: string): Promise<SessionState | null> {
    const rows = await this.db.$queryRaw<SessionState[]>`
      SELECT u.id::text AS id, u.username, u.active, u.token_version AS "tokenVersion",
             u.must_change_password AS "mustChangePassword",
             coalesce(array_agg(r.role::text ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}') AS roles
        FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
       WHERE u.id = ${id}::uuid
       GROUP BY u.id`;
    return rows[0] ?? null;
  }

  /** The user, locked for the rest of the transaction (changes of one user are decided one after the other). */
  async lock(tx: Tx, id: string): Promise<UserRecord | null> {
    const locked = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM users WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await tx.user.findUnique({ where: { id }, include: withRoles });
    return row ? toRecord(row as Row) : null;
  }

  /** Active admins other than `exceptId`, counted under a lock of the admin role (no two last admins removed at once). */
  async otherActiveAdmins(tx: Tx, exceptId: string): Promise<number> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ecc.active-admins'))`;
    return tx.user.count({
      where: { id: { not: exceptId }, active: true, roles: { some: { role: 'admin' } } },
    });
  }

  /** Disables or enables; disabling also ends every token of the user. */
  async setActive(tx: Tx, id: string, active: boolean): Promise<void> {
    await tx.user.update({
      where: { id },
      data: { active, ...(active ? {} : { tokenVersion: { increment: 1 } }) },
    });
  }

  /** A new password hash; every token issued before is refused from now on. */
  async setPassword(tx: Tx, id: string, passwordHash: string, mustChange: boolean, at: Date): Promise<void> {
    await tx.user.update({
      where: { id },
      data: {
        passwordHash,
        mustChangePassword: mustChange,
        passwordChangedAt: at,
        tokenVersion: { increment: 1 },
      },
    });
  }

  /** Ends every token issued so far (sign-out). */
  async revokeTokens(tx: Tx, id: string): Promise<void> {
    await tx.user.update({ where: { id }, data: { tokenVersion: { increment: 1 } } });
  }

  async recordSignIn(id: string, at: Date): Promise<void> {
    await this.db.user.update({ where: { id }, data: { lastLoginAt: at } });
  }

  async update(tx: Tx, id: string, changes: UserChanges): Promise<UserRecord> {
    const { roles, ...fields } = changes;
    if (roles) {
      await tx.userRole.deleteMany({ where: { userId: id, role: { notIn: [...roles] } } });
      await tx.userRole.createMany({
        data: roles.map((role) => ({ userId: id, role })),
        skipDuplicates: true,
      });
    }
    const row = await tx.user.update({ where: { id }, data: fields, include: withRoles });
    return toRecord(row as Row);
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db.user.findMany({ include: withRoles, orderBy: { username: 'asc' } });
    return rows.map((r) => toRecord(r as Row));
  }

  async usernameTaken(tx: Tx, username: string): Promise<boolean> {
    return (await tx.user.count({ where: { username } })) > 0;
  }

  async countWithRole(tx: Tx, role: Role): Promise<number> {
    return tx.user.count({ where: { roles: { some: { role } } } });
  }

  async create(tx: Tx, user: NewUser): Promise<UserRecord> {
    const row = await tx.user.create({
      data: {
        username: user.username,
        passwordHash: user.passwordHash,
        displayName: user.displayName,
        enforcementCertificateNo: user.enforcementCertificateNo ?? null,
        legalQualificationNo: user.legalQualificationNo ?? null,
        ssoSubject: user.ssoSubject ?? null,
        roles: { create: user.roles.map((role) => ({ role })) },
      },
      include: withRoles,
    });
    return toRecord(row as Row);
  }
}
