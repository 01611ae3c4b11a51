import { createHash, randomUUID } from 'node:crypto';
import { TtlCache } from '../ttl-cache';
import type { DataKeyStore, KeyWrapper, StoredDataKey } from './ports';

/** The guild's data key was deleted (purged): its archive is unreadable by design. */
export class DataKeyGoneError extends Error {
  override readonly name = 'DataKeyGoneError';
}

/**
 * Envelope encryption of the archive: each guild has one 256-bit data key, stored only wrapped by
 * the master key (KMS `GenerateDataKey` / `Decrypt` on AWS). Objects name the data key they were
 * sealed with; deleting the guild's wrapped key makes every object of the guild unreadable.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping
 */
export class EnvelopeDataKeys {
  /**
   * Unwrapped keys, per container: serving a page and its files would otherwise be one KMS
   * `Decrypt` per file. Keyed by the wrapped key's hash and used only after the consistent read of
   * the guild's DATAKEY item, so deleting that item (crypto-shredding) still takes effect at once.
   */
  private readonly unwrapped = new TtlCache<Buffer>(15 * 60_000, 200);

  constructor(
    private readonly store: DataKeyStore,
    private readonly wrapper: KeyWrapper,
    private readonly now: () => number,
  ) {}

  private cacheKey(guildId: string, stored: StoredDataKey): string {
    return `${guildId}:${stored.keyId}:${createHash('sha256').update(stored.wrapped).digest('base64url')}`;
  }

  private async unwrap(guildId: string, stored: StoredDataKey): Promise<Buffer> {
    const cacheKey = this.cacheKey(guildId, stored);
    const hit = this.unwrapped.get(cacheKey, this.now());
    if (hit) return hit;
    const key = await this.wrapper.unwrap(guildId, stored.wrapped);
    this.unwrapped.set(cacheKey, key, this.now());
    return key;
  }

  /** The guild's data key, created on first use (a concurrent first use keeps one). */
  async current(guildId: string): Promise<{ keyId: string; key: Buffer }> {
    let stored = await this.store.get(guildId);
    if (!stored) {
      const { plaintext, wrapped } = await this.wrapper.generate(guildId);
      stored = await this.store.putIfAbsent(guildId, { keyId: randomUUID(), wrapped, wrapperId: this.wrapper.id, createdAt: this.now() });
      if (stored.wrapped.equals(wrapped)) {
        this.unwrapped.set(this.cacheKey(guildId, stored), plaintext, this.now());
        return { keyId: stored.keyId, key: plaintext };
      }
    }
    return { keyId: stored.keyId, key: await this.unwrap(guildId, stored) };
  }

  /** The data key `keyId` of the guild; {@link DataKeyGoneError} when it was shredded. */
  async get(guildId: string, keyId: string): Promise<Buffer> {
    const stored = await this.store.get(guildId);
    if (!stored || stored.keyId !== keyId) throw new DataKeyGoneError(`the data key of guild ${guildId} no longer exists: its archive was purged`);
    return this.unwrap(guildId, stored);
  }
}
