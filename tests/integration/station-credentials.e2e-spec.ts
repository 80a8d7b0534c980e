import { randomBytes } from 'node:crypto';
import { createPrismaClient, dropDatabase, type PrismaClient } from '@ecc/shared-data';
import { SecretBox } from '@ecc/shared-kernel';
import { StationCredentialsRepository, sha256Hex } from '@ecc/registry-data';
import { createTestDatabase } from '../support/test-app';

/** Station secrets: sealed at rest, opened only for signature verification, valid by their dates. */
describe('StationCredentialsRepository', () => {
  let url: string;
  let db: PrismaClient;
  const box = new SecretBox(randomBytes(32).toString('hex'));
  let repo: StationCredentialsRepository;
  let station: { id: string; code: string };

  const t0 = new Date('2024-11-05T00:00:00Z');
  const hours = (n: number) => new Date(t0.getTime() + n * 3_600_000);
  const secretsAt = async (h: number) => (await repo.findForVerification('S308-K12', hours(h)))?.secrets;

  beforeAll(async () => {
    url = await createTestDatabase('stationcredentials');
    db = createPrismaClient(url, { poolSize: 2 });
    repo = new StationCredentialsRepository(db, box);
    station = await db.station.create({
      data: { code: 'S308-K12', name: 'S308 K12' },
      select: { id: true, code: true },
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    if (url) await dropDatabase(url);
  });

  it('knows no unknown station', async () => {
    expect(await repo.findForVerification('S999-K00', t0)).toBeNull();
  });

  it('stores the secret sealed and hashed, and opens it for verification from its activation', async () => {
    await db.$transaction((tx) => repo.addSecret(tx, station, 'first-secret', t0));
    const row = await db.stationSecret.findFirstOrThrow({ where: { stationId: station.id } });
    expect(row).toMatchObject({
      algorithm: 'HMAC-SHA256',
      secretHash: sha256Hex('first-secret'),
      retiredAt: null,
    });
    expect(Buffer.from(row.secretCiphertext).toString('latin1')).not.toContain('first-secret');
    expect(row.keyId).toMatch(/^[0-9a-f]{12}$/);

    expect(await repo.findForVerification('S308-K12', hours(-1))).toMatchObject({ secrets: [] });
    expect(await repo.findForVerification('S308-K12', t0)).toEqual({
      stationId: station.id,
      code: 'S308-K12',
      active: true,
      secrets: ['first-secret'],
    });
  });

  it('keeps the previous secret valid during the overlap after a rotation, newest first', async () => {
    const { previousRetiresAt } = await db.$transaction((tx) =>
      repo.rotate(tx, station, 'second-secret', hours(1), hours(25)),
    );
    expect(previousRetiresAt).toEqual(hours(25));
    expect(await secretsAt(0.5)).toEqual(['first-secret']);
    expect(await secretsAt(1)).toEqual(['second-secret', 'first-secret']);
    expect(await secretsAt(24.99)).toEqual(['second-secret', 'first-secret']);
    expect(await secretsAt(25)).toEqual(['second-secret']);
  });

  it('retires older secrets at once on a second rotation within the overlap: at most two are valid', async () => {
    await db.$transaction((tx) => repo.rotate(tx, station, 'third-secret', hours(2), hours(26)));
    expect(await secretsAt(2)).toEqual(['third-secret', 'second-secret']);
    expect(await secretsAt(26)).toEqual(['third-secret']);
  });

  it('refuses to open a secret sealed for another station (the code is bound to the box)', async () => {
    const other = await db.station.create({ data: { code: 'S309-K01', name: 'S309' }, select: { id: true } });
    await db.stationSecret.create({
      data: {
        stationId: other.id,
        keyId: 'moved',
        algorithm: 'HMAC-SHA256',
        secretHash: sha256Hex('x'),
        secretCiphertext: new Uint8Array(box.seal('x', 'S308-K12')),
        activeFrom: t0,
      },
    });
    await expect(repo.findForVerification('S309-K01', hours(1))).rejects.toThrow();
  });
});
