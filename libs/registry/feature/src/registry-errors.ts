import { DomainError } from '@ecc/shared-kernel';

/** A unique index refused the write: two requests raced for the same natural key. */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === 'P2002';

export const stationNotFound = (code: string) =>
  new DomainError('not_found', 'station_not_found', `station ${code} does not exist`);

export const deviceNotFound = (stationCode: string, code: string) =>
  new DomainError('not_found', 'device_not_found', `station ${stationCode} has no device ${code}`);
