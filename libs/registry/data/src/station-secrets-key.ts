import type { SecretBox } from '@ecc/shared-kernel';
import type { PrismaClient } from '@ecc/shared-data';
import { recordAudit } from '@ecc/audit-data';
import { systemActor } from '@ecc/identity-domain';

/** Of the station secrets valid at `at` (the ones stations sign with), those the key cannot open. */
export async function unopenableStationSecrets(
  db: PrismaClient,
  box: SecretBox,
  at: Date,
): Promise<{ checked: number; failedStations: string[] }> {
  const rows = await db.stationSecret.findMany({
    where: { OR: [{ retiredAt: null }, { retiredAt: { gt: at } }] },
    select: { secretCiphertext: true, station: { select: { code: true } } },
  });
  const failed = new Set<string>();
  for (const row of rows) {
    try {
      box.open(row.secretCiphertext, row.station.code);
    } catch {
      failed.add(row.station.code);
    }
  }
  return { checked: rows.length, failedStations: [...failed].sort() };
}

/**
 * Re-seals every station secret (retired ones too) from one key to another, in one transaction: each is
 * opened with `from`, sealed with `to` and opened again with `to` before anything commits, so a wrong key
 * changes nothing. Audited with the two keys' fingerprints (never the keys).
 */
export async function resealStationSecrets(
  db: PrismaClient,
  from: SecretBox,
  to: SecretBox,
): Promise<{ resealed: number }> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`LOCK TABLE station_secrets IN SHARE ROW EXCLUSIVE MODE`;
      const rows = await tx.stationSecret.findMany({
        select: { id: true, secretCiphertext: true, station: { select: { code: true } } },
      });
      for (const row of rows) {
        const code = row.station.code;
        let secret: string;
        try {
          secret = from.open(row.secretCiphertext, code);
        } catch {
          throw new Error(`SECRETS_KEY does not open the secret of station ${code}: nothing was re-sealed`);
        }
        const sealed = to.seal(secret, code);
        if (to.open(sealed, code) !== secret)
          throw new Error(`re-sealing the secret of station ${code} failed`);
        await tx.stationSecret.update({
          where: { id: row.id },
          data: { secretCiphertext: new Uint8Array(sealed) },
        });
      }
      await recordAudit(tx, {
        actor: systemActor('secrets-reseal'),
        action: 'station.secrets_resealed',
        entityType: 'secrets_key',
        entityId: to.keyId,
        changes: { resealed: rows.length, fromKeyId: from.keyId, toKeyId: to.keyId },
      });
      return { resealed: rows.length };
    },
    { timeout: 120_000 },
  );
}
