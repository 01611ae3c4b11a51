import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing of small records (enforcement's sensitive fields) under a 32-byte key kept
 * outside the table (`ENFORCEMENT_KEY`: a secret locally, the Secrets Manager secret on AWS).
 * `aad` binds a ciphertext to its record, so a sealed value copied onto another record does not
 * open. Format: `v1.<iv>.<tag>.<ciphertext>` (base64url). Self-contained so it can later share one
 * module with the transcript archive's crypto.
 *
 * @see https://nodejs.org/api/crypto.html#cryptocreatecipherivalgorithm-key-iv-options
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the sealing key must be 32 bytes (AES-256)');
    this.key = key;
  }

  /** From base64 (`openssl rand -base64 32`). */
  static fromBase64(value: string): Sealer {
    return new Sealer(Buffer.from(value, 'base64'));
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** Throws when the value was tampered with, sealed for another record, or under another key. */
  open(sealed: string, aad: string): string {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** The `ENFORCEMENT_KEY` variable: base64 of exactly 32 bytes. */
export const ENFORCEMENT_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
