import { openObject, readHeader, sealObject } from './archive-crypto';
import type { EnvelopeDataKeys } from './data-keys';
import type { ArchiveStore } from './ports';

/** Every archive object of a guild lives under this prefix (the purge deletes it whole). */
export const guildArchivePrefix = (guildId: string) => `guilds/${guildId}/`;

/** One close of one ticket: `guilds/<gid>/tickets/<n>/<closedAt>/`. */
export const transcriptPrefix = (guildId: string, number: number, closedAt: number) => `${guildArchivePrefix(guildId)}tickets/${number}/${closedAt}/`;

export const TRANSCRIPT_HTML = 'transcript.html.gz.enc';
export const TRANSCRIPT_JSON = 'transcript.json.gz.enc';

/**
 * The sealed archive: objects are compressed (when worth it) and encrypted under the guild's data key
 * before they reach the store; reading checks the GCM tag, so a changed object fails loudly. The key
 * id and nonce travel in the object's header and, for inspection, in its metadata.
 */
export class SealedArchive {
  constructor(
    private readonly store: ArchiveStore,
    private readonly keys: EnvelopeDataKeys,
  ) {}

  async put(guildId: string, objectKey: string, plain: Buffer, opts: { compress: boolean; contentType: string; dataKey?: { keyId: string; key: Buffer } }): Promise<number> {
    const dataKey = opts.dataKey ?? (await this.keys.current(guildId));
    const { body, header } = sealObject(plain, { key: dataKey.key, keyId: dataKey.keyId, objectKey, compress: opts.compress });
    await this.store.put(objectKey, body, { 'dw-key-id': header.keyId, 'dw-nonce': header.nonce.toString('base64'), 'dw-content-type': opts.contentType }, 'application/octet-stream');
    return body.length;
  }

  /**
   * The plain bytes and their content type, or null when there is no such object.
   * @throws ArchiveIntegrityError (changed or moved object), DataKeyGoneError (purged guild)
   */
  async get(guildId: string, objectKey: string): Promise<{ data: Buffer; contentType: string } | null> {
    const object = await this.store.get(objectKey);
    if (!object) return null;
    const key = await this.keys.get(guildId, readHeader(object.body).keyId);
    return { data: openObject(object.body, key, objectKey), contentType: object.metadata['dw-content-type'] ?? 'application/octet-stream' };
  }
}
