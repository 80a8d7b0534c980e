import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@ecc/shared-kernel';

/** PKCS#8 DER of an Ed25519 private key, up to its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI DER of an Ed25519 public key, up to its 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_SPKI_PREFIX_LENGTH = ED25519_SPKI_PREFIX.length;

export interface CheckpointSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex characters of sha256 of the raw 32-byte public key. */
  keyId: string;
}

/** The Ed25519 key pair of a 32-byte seed (64 hex characters, as `config.audit.signingKey`). */
export function signingKeyFromSeed(seedHex: string): CheckpointSigningKey {
  if (!/^[0-9a-f]{64}$/i.test(seedHex)) throw new Error('an Ed25519 seed is 32 bytes (64 hex characters)');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function keyIdOf(publicKey: KeyObject): string {
  return sha256Hex(rawPublicKey(publicKey)).slice(0, 16);
}

/** The 32 raw bytes of an Ed25519 public key, hex: how a retired key is configured and shown. */
export function publicKeyHex(publicKey: KeyObject): string {
  return rawPublicKey(publicKey).toString('hex');
}

const rawPublicKey = (publicKey: KeyObject): Buffer =>
  publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX_LENGTH);

/** A public key that only verifies (a retired signing key), from its 32 raw bytes in hex. */
export function verifyingKeyFromHex(publicKeyHex: string): Pick<CheckpointSigningKey, 'publicKey' | 'keyId'> {
  if (!/^[0-9a-f]{64}$/i.test(publicKeyHex)) {
    throw new Error('an Ed25519 public key is 32 bytes (64 hex characters)');
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return { publicKey, keyId: keyIdOf(publicKey) };
}

/** A signed head of the audit chain: the event at `chainSeq` (its id and hash) as it was when signed. */
export interface CheckpointDocument {
  v: 1;
  chainSeq: string;
  eventId: string;
  headHash: string;
  createdAt: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointDocument {
  /** Ed25519 signature (base64) of the canonical JSON of the document without `signature`. */
  signature: string;
}

export const CHECKPOINT_PREFIX = 'audit/checkpoints/';

/** The object key of a checkpoint: its chain seq zero-padded to 20 digits, so keys list in chain order. */
export function checkpointObjectKey(chainSeq: bigint): string {
  return `${CHECKPOINT_PREFIX}${chainSeq.toString().padStart(20, '0')}.json`;
}

export function signCheckpoint(
  head: { chainSeq: bigint; eventId: bigint; headHash: string },
  key: CheckpointSigningKey,
  createdAt: Date,
): SignedCheckpoint {
  const doc: CheckpointDocument = {
    v: 1,
    chainSeq: head.chainSeq.toString(),
    eventId: head.eventId.toString(),
    headHash: head.headHash,
    createdAt: createdAt.toISOString(),
    keyId: key.keyId,
  };
  const signature = sign(null, Buffer.from(canonicalJson(doc)), key.privateKey).toString('base64');
  return { ...doc, signature };
}

/** A checkpoint object read back from storage, or null when it is not one (malformed). */
export function parseCheckpoint(text: string): SignedCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const isString = (x: unknown): x is string => typeof x === 'string';
  if (
    v['v'] !== 1 ||
    !isString(v['chainSeq']) ||
    !/^[1-9]\d{0,18}$/.test(v['chainSeq']) ||
    !isString(v['eventId']) ||
    !/^\d{1,19}$/.test(v['eventId']) ||
    !isString(v['headHash']) ||
    !/^[0-9a-f]{64}$/.test(v['headHash']) ||
    !isString(v['createdAt']) ||
    !isString(v['keyId']) ||
    !isString(v['signature'])
  ) {
    return null;
  }
  return {
    v: 1,
    chainSeq: v['chainSeq'],
    eventId: v['eventId'],
    headHash: v['headHash'],
    createdAt: v['createdAt'],
    keyId: v['keyId'],
    signature: v['signature'],
  };
}

export function checkpointSignatureValid(checkpoint: SignedCheckpoint, publicKey: KeyObject): boolean {
  const { signature, ...doc } = checkpoint;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return false;
  return verify(null, Buffer.from(canonicalJson(doc)), publicKey, bytes);
}

/**
 * Why a stored checkpoint does not vouch for the chain in the database:
 * - `checkpoint_malformed`: the object is not a checkpoint, or its key does not name its chain seq;
 * - `checkpoint_key_unknown`: signed with a key that is neither the configured one nor a retired one;
 * - `checkpoint_signature_invalid`: the signature does not verify (the object was forged or altered);
 * - `checkpoint_event_missing`: the chain has no event at its seq (events deleted at the tail);
 * - `checkpoint_mismatch`: the event at its seq has another id or hash (the chain was rewritten).
 */
export type CheckpointFailure =
  | 'checkpoint_malformed'
  | 'checkpoint_key_unknown'
  | 'checkpoint_signature_invalid'
  | 'checkpoint_event_missing'
  | 'checkpoint_mismatch';

/**
 * The signature and origin of a checkpoint object (before it is matched against the chain): signed by the
 * configured key, or by one of the keys it replaced (`keys` holds them all).
 */
export function checkCheckpointObject(
  objectKey: string,
  text: string,
  keys:
    | Pick<CheckpointSigningKey, 'publicKey' | 'keyId'>
    | readonly Pick<CheckpointSigningKey, 'publicKey' | 'keyId'>[],
):
  | { checkpoint: SignedCheckpoint; failure: null }
  | { checkpoint: SignedCheckpoint | null; failure: CheckpointFailure } {
  const checkpoint = parseCheckpoint(text);
  if (!checkpoint || checkpointObjectKey(BigInt(checkpoint.chainSeq)) !== objectKey) {
    return { checkpoint, failure: 'checkpoint_malformed' };
  }
  const key = (Array.isArray(keys) ? keys : [keys]).find((k) => k.keyId === checkpoint.keyId);
  if (!key) return { checkpoint, failure: 'checkpoint_key_unknown' };
  if (!checkpointSignatureValid(checkpoint, key.publicKey)) {
    return { checkpoint, failure: 'checkpoint_signature_invalid' };
  }
  return { checkpoint, failure: null };
}

/** A verified checkpoint against the event the database holds at its seq (null: none). */
export function matchCheckpoint(
  checkpoint: SignedCheckpoint,
  event: { id: bigint; hash: string | null } | null,
): CheckpointFailure | null {
  if (!event) return 'checkpoint_event_missing';
  if (event.id.toString() !== checkpoint.eventId || event.hash !== checkpoint.headHash) {
    return 'checkpoint_mismatch';
  }
  return null;
}
