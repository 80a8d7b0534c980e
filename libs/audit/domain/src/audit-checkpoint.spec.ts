import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  checkCheckpointObject,
  checkpointObjectKey,
  checkpointSignatureValid,
  keyIdOf,
  matchCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  signingKeyFromSeed,
} from './audit-checkpoint';

const SEED = 'cd'.repeat(32);
const key = signingKeyFromSeed(SEED);
const head = { chainSeq: 42n, eventId: 1042n, headHash: 'a'.repeat(64) };
const at = new Date('2026-11-28T15:00:00.000Z');

describe('audit checkpoints', () => {
  it('builds the Ed25519 key of a 32-byte seed (RFC 8032 test vector 1) with its key id', () => {
    // RFC 8032, 7.1 TEST 1: secret key 9d61b1…7f60 has public key d75a98…511a.
    const rfc = signingKeyFromSeed('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const raw = rfc.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
    expect(raw).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(rfc.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(signingKeyFromSeed(SEED).keyId).toBe(key.keyId);
    expect(signingKeyFromSeed('ab'.repeat(32)).keyId).not.toBe(key.keyId);
    expect(() => signingKeyFromSeed('abc')).toThrow(/32 bytes/);
  });

  it('names the object by its seq, zero-padded so that keys list in chain order', () => {
    expect(checkpointObjectKey(42n)).toBe('audit/checkpoints/00000000000000000042.json');
    expect(checkpointObjectKey(9n) < checkpointObjectKey(10n)).toBe(true);
  });

  it('signs the head; the signature verifies with the public key only, and not after any change', () => {
    const signed = signCheckpoint(head, key, at);
    expect(signed).toMatchObject({ v: 1, chainSeq: '42', eventId: '1042', keyId: key.keyId });
    expect(checkpointSignatureValid(signed, key.publicKey)).toBe(true);
    expect(checkpointSignatureValid(signed, createPublicKey(key.privateKey))).toBe(true);
    expect(checkpointSignatureValid({ ...signed, headHash: 'b'.repeat(64) }, key.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...signed, chainSeq: '43' }, key.publicKey)).toBe(false);
    const other = generateKeyPairSync('ed25519');
    expect(checkpointSignatureValid(signed, other.publicKey)).toBe(false);
    expect(checkpointSignatureValid({ ...signed, signature: 'AAAA' }, key.publicKey)).toBe(false);
  });

  it('checks a stored object: its shape, its key, its signer and its signature', () => {
    const signed = signCheckpoint(head, key, at);
    const objectKey = checkpointObjectKey(42n);
    const text = JSON.stringify(signed);
    expect(checkCheckpointObject(objectKey, text, key)).toEqual({ checkpoint: signed, failure: null });
    expect(parseCheckpoint(text)).toEqual(signed);
    expect(checkCheckpointObject(objectKey, 'not json', key).failure).toBe('checkpoint_malformed');
    expect(checkCheckpointObject(checkpointObjectKey(41n), text, key).failure).toBe('checkpoint_malformed');
    const forged = { ...signed, headHash: 'b'.repeat(64) };
    expect(checkCheckpointObject(objectKey, JSON.stringify(forged), key).failure).toBe(
      'checkpoint_signature_invalid',
    );
    const other = generateKeyPairSync('ed25519');
    const foreign = { publicKey: other.publicKey, keyId: keyIdOf(other.publicKey) };
    expect(checkCheckpointObject(objectKey, text, foreign).failure).toBe('checkpoint_key_unknown');
  });

  it('matches the chain only when the event at its seq has the same id and hash', () => {
    const signed = signCheckpoint(head, key, at);
    expect(matchCheckpoint(signed, { id: 1042n, hash: 'a'.repeat(64) })).toBeNull();
    expect(matchCheckpoint(signed, { id: 1042n, hash: 'b'.repeat(64) })).toBe('checkpoint_mismatch');
    expect(matchCheckpoint(signed, { id: 1043n, hash: 'a'.repeat(64) })).toBe('checkpoint_mismatch');
    expect(matchCheckpoint(signed, null)).toBe('checkpoint_event_missing');
  });
});
