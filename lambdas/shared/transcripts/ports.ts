/**
 * Ports of the transcripts feature: archive objects (S3), the key that wraps guild data keys (KMS
 * on AWS, a master key locally), wrapped data keys and transcript records (DynamoDB).
 */

/** Encrypted archive objects under `guilds/<gid>/…`. */
export interface ArchiveStore {
  put(key: string, body: Buffer, metadata: Record<string, string>, contentType: string): Promise<void>;
  /** The object's bytes and metadata, or null when it does not exist. */
  get(key: string): Promise<{ body: Buffer; metadata: Record<string, string> } | null>;
  /** Deletes every object under `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}

/** The master key that wraps per-guild data keys (envelope encryption). */
export interface KeyWrapper {
  /** Names the master key (stored with each wrapped data key). */
  readonly id: string;
  /** A fresh 256-bit data key, plain and wrapped, bound to the guild. */
  generate(guildId: string): Promise<{ plaintext: Buffer; wrapped: Buffer }>;
  unwrap(guildId: string, wrapped: Buffer): Promise<Buffer>;
}

export interface StoredDataKey {
  keyId: string;
  wrapped: Buffer;
  wrapperId: string;
  createdAt: number;
}

/** One wrapped data key per guild, in the guild's partition (a guild purge removes it: crypto-shredding). */
export interface DataKeyStore {
  get(guildId: string): Promise<StoredDataKey | null>;
  /** Stores the key unless the guild already has one; returns the one stored. */
  putIfAbsent(guildId: string, key: StoredDataKey): Promise<StoredDataKey>;
  delete(guildId: string): Promise<void>;
}

/** One stored transcript (a close of a ticket), in the guild's partition. */
export interface TranscriptRecord {
  guildId: string;
  number: number;
  closedAt: number;
  /** Archive prefix holding the transcript and its attachments. */
  prefix: string;
  openerId: string;
  storedAt: number;
  messageCount: number;
  attachmentCount: number;
  /** Total sealed bytes under the prefix. */
  bytes: number;
  /** When retention deletes it (epoch ms); null keeps it. */
  expiresAt: number | null;
  /** When the embed (and the opener's DM) went out; null until then. */
  deliveredAt: number | null;
  /** The transcript-channel post, so a rating given later can be shown on it. */
  embedChannelId?: string | null;
  embedMessageId?: string | null;
}

export interface TranscriptRecordStore {
  /** Saves (or replaces, on a rebuild) the record; with `expiresAt` it enters the retention index. */
  save(record: TranscriptRecord): Promise<void>;
  /**
   * Saves a new build's record unless one for this close exists already (a concurrent or earlier
   * attempt stored it first); returns the record that is stored and whether this call created it.
   */
  create(record: TranscriptRecord): Promise<{ record: TranscriptRecord; created: boolean }>;
  /**
   * Claims the delivery (embed, DM) of a stored transcript before anything is posted: `claimed`
   * for this attempt, `delivered` when done already, `busy` while another attempt's claim is younger
   * than `leaseMs` (an older claim was abandoned by a killed attempt and is taken over).
   */
  claimDelivery(guildId: string, number: number, closedAt: number, now: number, leaseMs: number): Promise<'claimed' | 'delivered' | 'busy'>;
  /** Records the delivery and where the transcript-channel post went. */
  markDelivered(guildId: string, number: number, closedAt: number, at: number, post: { channelId: string; messageId: string } | null): Promise<void>;
  /** The ticket's newest stored transcript. */
  latest(guildId: string, number: number): Promise<TranscriptRecord | null>;
  get(guildId: string, number: number, closedAt: number): Promise<TranscriptRecord | null>;
  /** Transcripts whose retention ended at `now` (ByDue index), oldest first. */
  dueExpired(now: number, limit: number): Promise<Array<Pick<TranscriptRecord, 'guildId' | 'number' | 'closedAt' | 'prefix'>>>;
  delete(guildId: string, number: number, closedAt: number): Promise<void>;
}

export type Download = { ok: true; data: Buffer; contentType: string | null } | { ok: false; reason: 'gone' | 'too-large' };

/** Files on Discord's CDN (attachments, avatars), fetched at close while their links still work. */
export interface CdnFiles {
  /** `maxBytes` stops a download early (a file bigger than announced is not archived). */
  download(url: string, maxBytes: number): Promise<Download>;
  /** The avatar image of a user with a custom avatar (64 px PNG). */
  avatarUrl(userId: string, avatarHash: string): string;
}
