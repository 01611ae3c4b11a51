import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * An application's Ed25519 key pair. Discord signs every interaction with the private key and shows
 * the public key (raw 32 bytes, hex) in the developer portal.
 *
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
export interface InteractionKeyPair {
  /** Raw 32-byte public key, lowercase hex (what the developer portal shows as "Public Key"). */
  publicKeyHex: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The three headers Discord sends with each interaction request. */
export interface SignedHeaders {
  'x-signature-ed25519': string;
  'x-signature-timestamp': string;
  'content-type': string;
}

/** A fresh Ed25519 key pair from node:crypto. */
export function generateInteractionKeyPair(): InteractionKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The JWK `x` member is exactly the raw 32-byte public key, base64url-encoded.
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { publicKeyHex: raw.toString('hex'), privateKey, publicKey };
}

/** Hex Ed25519 signature over `timestamp + body`, as Discord computes `X-Signature-Ed25519`. */
export function signInteraction(body: string, timestamp: string, keyPair: Pick<InteractionKeyPair, 'privateKey'>): string {
  return sign(null, Buffer.from(timestamp + body, 'utf8'), keyPair.privateKey).toString('hex');
}

/** Discord's timestamp header: Unix seconds. */
export function interactionTimestamp(nowMs = Date.now()): string {
  return String(Math.floor(nowMs / 1000));
}

/** Headers for an interaction request whose raw body is `body`. */
export function signedHeaders(body: string, keyPair: Pick<InteractionKeyPair, 'privateKey'>, timestamp = interactionTimestamp()): SignedHeaders {
  return {
    'x-signature-ed25519': signInteraction(body, timestamp, keyPair),
    'x-signature-timestamp': timestamp,
    'content-type': 'application/json',
  };
}

/**
 * A ready-to-send interaction request: the exact body string (signatures cover bytes, so send this
 * string, not a re-serialised object) and its headers. Handy for calling a handler directly.
 */
export function signedRequest(
  payload: unknown,
  keyPair: Pick<InteractionKeyPair, 'privateKey'>,
  timestamp = interactionTimestamp(),
): { body: string; headers: SignedHeaders } {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return { body, headers: signedHeaders(body, keyPair, timestamp) };
}
