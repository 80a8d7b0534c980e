import { createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '@ecc/shared-kernel';
import type { PrismaClient, Tx } from '@ecc/shared-data';

/** The signature algorithm of every station secret (the station protocol signs with HMAC-SHA256). */
export const STATION_SECRET_ALGORITHM = 'HMAC-SHA256';

export interface StationCredentials {
  stationId: string;
  code: string;
  active: boolean;
  /** Plaintext secrets valid at the asked instant, newest first (during a rotation overlap: two). */
  secrets: string[];
}

export interface StoredStationSecret {
  keyId: string;
  activeFrom: Date;
  retiredAt: Date | null;
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * Station signing secrets. HMAC verification needs the secret itself, so it is stored sealed with the
 * application key (`SecretBox`, bound to the station code) beside its sha256; it is opened only here,
 * for verification, and never leaves through the API.
 */
export class StationCredentialsRepository {
  constructor(
    private readonly db: PrismaClient,
    private readonly box: SecretBox,
  ) {}

  /** The station and its secrets valid at `at`: activeFrom ≤ at and (no retirement or at < retiredAt). */
  async findForVerification(stationCode: string, at: Date): Promise<StationCredentials | null> {
    const station = await this.db.station.findUnique({
      where: { code: stationCode },
      select: {
        id: true,
        code: true,
        active: true,
        secrets: {
          where: { activeFrom: { lte: at }, OR: [{ retiredAt: null }, { retiredAt: { gt: at } }] },
          orderBy: [{ activeFrom: 'desc' }, { createdAt: 'desc' }],
          select: { secretCiphertext: true },
        },
      },
    });
    if (!station) return null;
    return {
      stationId: station.id,
      code: station.code,
      active: station.active,
      secrets: station.secrets.map((s) => this.box.open(s.secretCiphertext, station.code)),
    };
  }

  /** Stores a new secret for the station, sealed; the caller's transaction keeps it with its audit event. */
  async addSecret(
    tx: Tx,
    station: { id: string; code: string },
    secret: string,
    activeFrom: Date,
  ): Promise<StoredStationSecret> {
    const row = await tx.stationSecret.create({
      data: {
        stationId: station.id,
        keyId: randomBytes(6).toString('hex'),
        algorithm: STATION_SECRET_ALGORITHM,
        secretHash: sha256Hex(secret),
        secretCiphertext: new Uint8Array(this.box.seal(secret, station.code)),
        activeFrom,
      },
      select: { keyId: true, activeFrom: true, retiredAt: true },
    });
    return row;
  }

  /**
   * Rotation at `at`: the newest secret still valid stays valid until `previousRetiresAt` (the overlap),
   * any older one still valid is retired at once (at most two secrets are ever valid), and `secret`
   * becomes active at `at`. Returns the new secret's record and when the previous one retires.
   */
  async rotate(
    tx: Tx,
    station: { id: string; code: string },
    secret: string,
    at: Date,
    previousRetiresAt: Date,
  ): Promise<{ added: StoredStationSecret; previousRetiresAt: Date | null }> {
    const valid = await tx.stationSecret.findMany({
      where: { stationId: station.id, OR: [{ retiredAt: null }, { retiredAt: { gt: at } }] },
      orderBy: [{ activeFrom: 'desc' }, { createdAt: 'desc' }],
      select: { id: true, retiredAt: true },
    });
    const [newest, ...older] = valid;
    let previous: Date | null = null;
    if (newest) {
      previous =
        newest.retiredAt && newest.retiredAt < previousRetiresAt ? newest.retiredAt : previousRetiresAt;
      await tx.stationSecret.update({ where: { id: newest.id }, data: { retiredAt: previous } });
    }
    if (older.length > 0)
      await tx.stationSecret.updateMany({
        where: { id: { in: older.map((s) => s.id) } },
        data: { retiredAt: at },
      });
    return { added: await this.addSecret(tx, station, secret, at), previousRetiresAt: previous };
  }
}
