import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The archive object format: compressed (gzip), then sealed with AES-256-GCM under the guild's data
 * key. The header names the key and carries the nonce, so an object is readable on its own:
 *
 * `"DWA1"` · flags (1 byte: bit 0 = gzip) · key id length (1 byte) · key id (UTF-8) · nonce (12 bytes) · ciphertext · tag (16 bytes)
 *
 * The header and the object's own key (its S3 path) are authenticated data: a changed byte anywhere,
 * or an object copied to another path or guild, fails to open with {@link ArchiveIntegrityError}.
 *
 * @see https://nodejs.org/api/crypto.html#class-cipher (GCM authentication tag)
 */
const MAGIC = Buffer.from('DWA1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FLAG_GZIP = 1;

/** An archive object that is not ours, was changed, or was moved: never returned as data. */
export class ArchiveIntegrityError extends Error {
  override readonly name = 'ArchiveIntegrityError';
}

export interface SealedHeader {
  keyId: string;
  nonce: Buffer;
  compressed: boolean;
}

/** Seals `plain` for the object at `objectKey`. Compression is for text; files already compressed skip it. */
export function sealObject(plain: Buffer, opts: { key: Buffer; keyId: string; objectKey: string; compress: boolean }): { body: Buffer; header: SealedHeader } {
  if (opts.key.length !== 32) throw new Error('archive data keys are 256-bit');
  const keyId = Buffer.from(opts.keyId, 'utf8');
  if (keyId.length > 255) throw new Error('key id too long');
  const nonce = randomBytes(NONCE_BYTES);
  const head = Buffer.concat([MAGIC, Buffer.from([opts.compress ? FLAG_GZIP : 0, keyId.length]), keyId, nonce]);
  const cipher = createCipheriv('aes-256-gcm', opts.key, nonce);
  cipher.setAAD(Buffer.concat([head, Buffer.from(opts.objectKey, 'utf8')]));
  const payload = opts.compress ? gzipSync(plain, { level: 6 }) : plain;
  const body = Buffer.concat([head, cipher.update(payload), cipher.final(), cipher.getAuthTag()]);
  return { body, header: { keyId: opts.keyId, nonce, compressed: opts.compress } };
}

/** Reads the header without decrypting (which key to fetch). */
export function readHeader(body: Buffer): SealedHeader & { headLength: number } {
  if (body.length < MAGIC.length + 2 + NONCE_BYTES + TAG_BYTES || !body.subarray(0, 4).equals(MAGIC)) throw new ArchiveIntegrityError('not a Deskwire archive object');
  const flags = body[4]!;
  const idLength = body[5]!;
  const headLength = 6 + idLength + NONCE_BYTES;
  if (body.length < headLength + TAG_BYTES) throw new ArchiveIntegrityError('archive object is truncated');
  return { keyId: body.subarray(6, 6 + idLength).toString('utf8'), nonce: body.subarray(6 + idLength, headLength), compressed: (flags & FLAG_GZIP) !== 0, headLength };
}

/** Opens an object sealed by {@link sealObject}; any tampering throws {@link ArchiveIntegrityError}. */
export function openObject(body: Buffer, key: Buffer, objectKey: string): Buffer {
  const header = readHeader(body);
  const head = body.subarray(0, header.headLength);
  const decipher = createDecipheriv('aes-256-gcm', key, header.nonce);
  decipher.setAAD(Buffer.concat([head, Buffer.from(objectKey, 'utf8')]));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  let payload: Buffer;
  try {
    payload = Buffer.concat([decipher.update(body.subarray(header.headLength, body.length - TAG_BYTES)), decipher.final()]);
  } catch (err) {
    throw new ArchiveIntegrityError(`archive object ${objectKey} failed authentication: it was changed, moved, or sealed with another key`, { cause: err });
  }
  return header.compressed ? gunzipSync(payload) : payload;
}

/**
 * AES-256-GCM wrap of a data key under a master key (the local stand-in for KMS), bound to the guild.
 * Format: nonce (12) · ciphertext (32) · tag (16).
 */
export function wrapKey(master: Buffer, plain: Buffer, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(master: Buffer, wrapped: Buffer, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
  } catch (err) {
    throw new ArchiveIntegrityError('the data key could not be unwrapped with this master key', { cause: err });
  }
}
