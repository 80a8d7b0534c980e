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
  createdAt: Date;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  displayName: string;
  roles: readonly Role[];
  enforcementCertificateNo?: string;
  legalQualificationNo?: string;
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
        roles: { create: user.roles.map((role) => ({ role })) },
      },
      include: withRoles,
    });
    return toRecord(row as Row);
  }
}
