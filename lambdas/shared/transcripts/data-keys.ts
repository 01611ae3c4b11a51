import { randomUUID } from 'node:crypto';
import type { DataKeyStore, KeyWrapper } from './ports';

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
  constructor(
    private readonly store: DataKeyStore,
    private readonly wrapper: KeyWrapper,
    private readonly now: () => number,
  ) {}

  /** The guild's data key, created on first use (a concurrent first use keeps one). */
  async current(guildId: string): Promise<{ keyId: string; key: Buffer }> {
    let stored = await this.store.get(guildId);
    if (!stored) {
      const { plaintext, wrapped } = await this.wrapper.generate(guildId);
      stored = await this.store.putIfAbsent(guildId, { keyId: randomUUID(), wrapped, wrapperId: this.wrapper.id, createdAt: this.now() });
      if (stored.wrapped.equals(wrapped)) return { keyId: stored.keyId, key: plaintext };
    }
    return { keyId: stored.keyId, key: await this.wrapper.unwrap(guildId, stored.wrapped) };
  }

  /** The data key `keyId` of the guild; {@link DataKeyGoneError} when it was shredded. */
  async get(guildId: string, keyId: string): Promise<Buffer> {
    const stored = await this.store.get(guildId);
    if (!stored || stored.keyId !== keyId) throw new DataKeyGoneError(`the data key of guild ${guildId} no longer exists: its archive was purged`);
    return this.wrapper.unwrap(guildId, stored.wrapped);
  }
}
