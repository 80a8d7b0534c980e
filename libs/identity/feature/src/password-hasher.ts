import { Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * Argon2id, a memory-hard KDF, with the OWASP minimum (19 MiB, 2 iterations, 1 lane). The parameters
 * are stored inside each hash, so raising them later keeps old hashes verifiable.
 */
// `Algorithm` is an ambient const enum (unusable with isolatedModules): 2 is Algorithm.Argon2id.
const PARAMS: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  /** Verified against when the user does not exist, so that timing does not reveal valid usernames. */
  private readonly dummy = hash('not-a-real-password-0000', PARAMS);

  hash(password: string): Promise<string> {
    return hash(password, PARAMS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash ?? (await this.dummy), password);
    } catch {
      return false;
    }
  }
}
