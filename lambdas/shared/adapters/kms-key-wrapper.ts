import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { unwrapKey, wrapKey } from '../transcripts/archive-crypto';
import type { KeyWrapper } from '../transcripts/ports';

/**
 * Guild data keys from KMS: `GenerateDataKey` (AES_256) and `Decrypt`, with the guild id as
 * encryption context so a wrapped key cannot be used for another guild.
 *
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html
 */
export class KmsKeyWrapper implements KeyWrapper {
  constructor(
    private readonly kms: KMSClient,
    readonly id: string,
  ) {}

  async generate(guildId: string): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
    const res = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.id, KeySpec: 'AES_256', EncryptionContext: { guild: guildId } }));
    return { plaintext: Buffer.from(res.Plaintext!), wrapped: Buffer.from(res.CiphertextBlob!) };
  }

  async unwrap(guildId: string, wrapped: Buffer): Promise<Buffer> {
    const res = await this.kms.send(new DecryptCommand({ KeyId: this.id, CiphertextBlob: wrapped, EncryptionContext: { guild: guildId } }));
    return Buffer.from(res.Plaintext!);
  }
}

/** The local stand-in for KMS: a 256-bit master key from config (`ARCHIVE_MASTER_KEY`). */
export class LocalKeyWrapper implements KeyWrapper {
  readonly id = 'local-master-key';
  constructor(private readonly master: Buffer) {
    if (master.length !== 32) throw new Error('ARCHIVE_MASTER_KEY must be 32 bytes');
  }

  async generate(guildId: string): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
    const plaintext = randomBytes(32);
    return { plaintext, wrapped: wrapKey(this.master, plaintext, guildId) };
  }

  async unwrap(guildId: string, wrapped: Buffer): Promise<Buffer> {
    return unwrapKey(this.master, wrapped, guildId);
  }
}
