import { createHash, randomInt } from 'node:crypto';

/**
 * License keys: `DW-XXXXX-XXXXX-XXXXX-XXXXX-CCCCC`. Twenty random symbols of Crockford's base32
 * (5 bits each: 100 bits of entropy) and a five-symbol check group (25 bits of SHA-256 over the
 * body), so a typo is caught before any lookup. Crockford's alphabet has no I, L, O or U: people
 * read keys aloud and type them by hand, and `O`/`I`/`L` typed by mistake are read as `0`/`1`.
 *
 * Only `hashLicenseKey(key)` (SHA-256 of the canonical form) is stored. A pepper would add nothing
 * against guessing a 100-bit key, and leaving it out keeps the interactions λ free of secrets.
 *
 * @see https://www.crockford.com/base32.html
 */
export const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'DW';
const BODY_LENGTH = 20;
const CHECK_LENGTH = 5;
const GROUP = 5;

const checkGroup = (body: string) => {
  const digest = createHash('sha256').update(`${PREFIX}${body}`).digest();
  // The first 25 bits of the digest, five symbols of five bits.
  const bits = digest.readUInt32BE(0) >>> 7;
  let out = '';
  for (let i = CHECK_LENGTH - 1; i >= 0; i--) out += KEY_ALPHABET[(bits >>> (i * 5)) & 31];
  return out;
};

const format = (symbols: string) => [PREFIX, ...(symbols.match(new RegExp(`.{${GROUP}}`, 'g')) ?? [])].join('-');

/** A new random key in its display form (shown to ops once, never stored). */
export function generateLicenseKey(): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += KEY_ALPHABET[randomInt(32)];
  return format(body + checkGroup(body));
}

/**
 * Reads a key as people type it: any case, spaces or hyphens anywhere, `O` for `0`, `I`/`L` for
 * `1`. Returns the canonical form, or null when it is malformed or its check group does not match
 * (a typo) — decided without any lookup.
 */
export function parseLicenseKey(input: string): string | null {
  let symbols = input.toUpperCase().replace(/[\s-]/g, '');
  if (symbols.length === PREFIX.length + BODY_LENGTH + CHECK_LENGTH && symbols.startsWith(PREFIX)) symbols = symbols.slice(PREFIX.length);
  symbols = symbols.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length !== BODY_LENGTH + CHECK_LENGTH || ![...symbols].every((c) => KEY_ALPHABET.includes(c))) return null;
  const body = symbols.slice(0, BODY_LENGTH);
  return checkGroup(body) === symbols.slice(BODY_LENGTH) ? format(symbols) : null;
}

/** What the table stores instead of the key: SHA-256 of the canonical key, hex. */
export const hashLicenseKey = (canonicalKey: string) => createHash('sha256').update(canonicalKey).digest('hex');

/** The short id ops and admins see for a license (the start of its hash; says nothing about the key). */
export const licenseIdOf = (keyHash: string) => keyHash.slice(0, 12);
