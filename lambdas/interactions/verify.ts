import { webcrypto } from 'node:crypto';
import { verifyKey } from 'discord-interactions';

export type PublicKey = webcrypto.CryptoKey;

/**
 * Imports the application's Ed25519 public key once (cold start) so each request only verifies.
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
export async function importPublicKey(publicKeyHex: string): Promise<PublicKey> {
  return webcrypto.subtle.importKey('raw', Buffer.from(publicKeyHex, 'hex'), { name: 'Ed25519' }, false, ['verify']);
}

/**
 * True when `signature` is the application's signature over `timestamp + body`. Awaited on
 * purpose: discord-interactions' `verifyKey` returns a Promise, and an un-awaited one is truthy.
 */
export async function isSignedByDiscord(body: Uint8Array, signature: string | undefined, timestamp: string | undefined, key: PublicKey): Promise<boolean> {
  if (!signature || !timestamp || body.length === 0) return false;
  if (!/^[0-9a-f]{128}$/i.test(signature)) return false;
  return (await verifyKey(body, signature, timestamp, key as never)) === true;
}
