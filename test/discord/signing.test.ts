import { verifyKey } from 'discord-interactions';
import {
  SnowflakeGenerator,
  commandInteraction,
  compareSnowflakes,
  generateInteractionKeyPair,
  signInteraction,
  signedHeaders,
  signedRequest,
  snowflakeTimestamp,
} from '../../local/discord';

describe('interaction signing', () => {
  const keyPair = generateInteractionKeyPair();
  const body = JSON.stringify(commandInteraction({ name: 'status' }));
  const timestamp = '1735689600';

  it('exposes the raw 32-byte public key as hex, as the developer portal shows it', () => {
    expect(keyPair.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
  });

  it('produces signatures discord-interactions accepts, and only for the signed bytes', async () => {
    const signature = signInteraction(body, timestamp, keyPair);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    // verifyKey is async: an un-awaited result is a truthy Promise whatever the signature.
    await expect(verifyKey(body, signature, timestamp, keyPair.publicKeyHex)).resolves.toBe(true);
    await expect(verifyKey(body.replace('status', 'statuz'), signature, timestamp, keyPair.publicKeyHex)).resolves.toBe(false);
    await expect(verifyKey(body, signature, '1735689601', keyPair.publicKeyHex)).resolves.toBe(false);
    await expect(verifyKey(body, signature, timestamp, generateInteractionKeyPair().publicKeyHex)).resolves.toBe(false);
  });

  it('builds the three headers Discord sends', async () => {
    const headers = signedHeaders(body, keyPair, timestamp);
    expect(Object.keys(headers).sort()).toEqual(['content-type', 'x-signature-ed25519', 'x-signature-timestamp']);
    expect(headers['content-type']).toBe('application/json');
    await expect(verifyKey(body, headers['x-signature-ed25519'], headers['x-signature-timestamp'], keyPair.publicKeyHex)).resolves.toBe(true);
    const request = signedRequest({ type: 1 }, keyPair, timestamp);
    expect(request.body).toBe('{"type":1}');
  });
});

describe('snowflakes', () => {
  it('encode the clock time since the Discord epoch and increase strictly, even on a frozen clock', () => {
    const at = Date.UTC(2025, 5, 1);
    const ids = new SnowflakeGenerator(() => at);
    const made = Array.from({ length: 5000 }, () => ids.next());
    expect(snowflakeTimestamp(made[0])).toBe(at);
    for (let i = 1; i < made.length; i++) expect(compareSnowflakes(made[i - 1], made[i])).toBe(-1);
    // 4096 ids per millisecond: the generator carries into the next millisecond instead of repeating.
    expect(snowflakeTimestamp(made[made.length - 1])).toBe(at + 1);
  });
});
