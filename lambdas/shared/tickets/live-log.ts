/**
 * The live ticket log: every message seen in a ticket's thread or channel, kept by the events λ from
 * gateway events and read by the transcript builder at close. It outlives the deleted channel and
 * keeps what REST history cannot give back (earlier versions of edited messages, deleted messages).
 *
 * The log is keyed by channel, not by ticket number: the events λ knows a message's guild and
 * channel without a lookup, and a reopened ticket keeps its channel (one log across its closes).
 */

/** The author as shown in a transcript (no e-mail, no member data beyond the display name). */
export interface LoggedAuthor {
  id: string;
  username: string;
  globalName: string | null;
  /** Avatar hash (CDN path part), or null for the default avatar. */
  avatar: string | null;
  bot: boolean;
}

/** Attachment metadata; the file itself is only fetched (re-hosted) by the transcript builder. */
export interface LoggedAttachment {
  id: string;
  filename: string;
  /** Bytes. */
  size: number;
  /** Discord CDN URL (signed, expiring). */
  url: string;
  contentType: string | null;
  width: number | null;
  height: number | null;
}

export interface LoggedSticker {
  id: string;
  name: string;
  /** Discord sticker format type (1 PNG, 2 APNG, 3 Lottie, 4 GIF). */
  formatType: number;
}

/** An earlier version of an edited message. */
export interface LoggedEdit {
  content: string;
  /** When this version was replaced (the edit's `edited_timestamp`), epoch ms. */
  replacedAt: number;
}

/**
 * One message of a ticket's history.
 *
 * @see https://discord.com/developers/docs/resources/message#message-object
 */
export interface LoggedMessage {
  guildId: string;
  channelId: string;
  messageId: string;
  /** Null only for a tombstone: a delete seen for a message the log never saw created. */
  author: LoggedAuthor | null;
  content: string;
  /** Epoch ms (from the message's `timestamp`, or its snowflake for a tombstone). */
  createdAt: number;
  editedAt: number | null;
  /** Earlier versions, oldest first (bounded: the newest `MAX_LOGGED_EDITS`). */
  edits: LoggedEdit[];
  deletedAt: number | null;
  attachments: LoggedAttachment[];
  /** Embed objects as Discord sent them (rendered by the transcript; bounded in size by the writer). */
  embeds: Array<Record<string, unknown>>;
  stickers: LoggedSticker[];
  /** The message this one replies to (`message_reference.message_id`). */
  replyTo: string | null;
  /** Mentions resolved to names at the time they were sent. */
  mentions: { users: Array<{ id: string; name: string }>; roles: string[]; channels: string[] };
}

/** An edit as the gateway reports it (MESSAGE_UPDATE may be partial: absent fields did not change). */
export interface LoggedUpdate {
  guildId: string;
  channelId: string;
  messageId: string;
  /** Epoch ms of `edited_timestamp`; updates without one (embed unfurls) use the event time. */
  editedAt: number;
  content?: string;
  embeds?: Array<Record<string, unknown>>;
  attachments?: LoggedAttachment[];
  /** Embeds Discord added to a message never edited (no `edited_timestamp`): embeds only, no edit recorded. */
  unfurl?: boolean;
}

export const MAX_LOGGED_EDITS = 20;

/** Persistence of the live ticket log. Every write is idempotent (SQS delivers at least once). */
export interface TicketLogStore {
  /** Records a created message; a second delivery of the same message changes nothing. */
  recordCreate(message: LoggedMessage): Promise<void>;
  /**
   * Records an edit: the previous content moves into `edits` when the content changed, in the
   * same write. An edit older than the one already recorded is ignored; one with the same edit
   * time (a redelivery, or the unfurl of that version) only updates embeds and attachments. An
   * unfurl applies while no edit is recorded. An edit of a message the log never saw creates a
   * partial entry with only what the edit carried (a late create fills in the rest).
   */
  recordUpdate(update: LoggedUpdate): Promise<void>;
  /** Marks messages deleted (bulk deletes too); unknown ids become tombstones. */
  recordDelete(guildId: string, channelId: string, messageIds: string[], at: number): Promise<void>;
  /** The channel's log, oldest message first (paged internally; snowflake order = send order). */
  list(guildId: string, channelId: string): Promise<LoggedMessage[]>;
  /** Removes the channel's log (retention / erasure); returns the number of entries removed. */
  deleteChannel(guildId: string, channelId: string): Promise<number>;
}

/** Discord's epoch; a snowflake's top 42 bits are ms since it. @see https://discord.com/developers/docs/reference#snowflakes */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** The creation time (epoch ms) encoded in a snowflake id. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
