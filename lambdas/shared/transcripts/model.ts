/**
 * The transcript document: what a closed ticket's conversation is, independent of how it is shown.
 * It is the open export format (stored as JSON beside the HTML), documented with its versioning
 * rules in docs/transcript-schema.md. Plain data, no I/O.
 */

export const TRANSCRIPT_FORMAT = 'deskwire.transcript';
/** Bumped only for changes a reader must know about; additions of optional fields keep the version. */
export const TRANSCRIPT_VERSION = 1;

export interface TranscriptUser {
  id: string;
  username: string;
  /** Display name at the time of the transcript (global name), or null. */
  displayName: string | null;
  bot: boolean;
  /** Archive path of the re-hosted avatar (relative to the transcript), or null: a generated initial badge. */
  avatar: string | null;
}

export interface TranscriptAttachment {
  id: string;
  filename: string;
  /** Bytes, as Discord reported them. */
  size: number;
  contentType: string | null;
  width: number | null;
  height: number | null;
  /** Archive path (relative to the transcript) when re-hosted; null when it was not (see `note`). */
  path: string | null;
  /** Why a file was not re-hosted: over a size cap, or no longer available on Discord's CDN. */
  note: string | null;
}

/** The embed fields a transcript keeps (links and text only; images are not fetched from third parties). */
export interface TranscriptEmbed {
  title: string | null;
  description: string | null;
  url: string | null;
  color: number | null;
  author: string | null;
  footer: string | null;
  fields: Array<{ name: string; value: string; inline: boolean }>;
}

export interface TranscriptMessage {
  kind: 'message';
  id: string;
  /** Null for a message only known as deleted (its author was never seen). */
  authorId: string | null;
  /** ISO 8601. */
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  content: string;
  /** Earlier versions of an edited message, oldest first. */
  edits: Array<{ content: string; replacedAt: string }>;
  replyTo: string | null;
  attachments: TranscriptAttachment[];
  embeds: TranscriptEmbed[];
  stickers: Array<{ id: string; name: string }>;
  reactions: Array<{ emoji: string; count: number }>;
  /** Names for the mentions in `content`, resolved when the message was captured. */
  mentions: { users: Record<string, string>; roles: Record<string, string>; channels: Record<string, string> };
}

export type SystemEvent = 'opened' | 'claimed' | 'unclaimed' | 'transferred' | 'member-added' | 'member-removed' | 'role-added' | 'role-removed' | 'priority' | 'renamed' | 'closed' | 'reopened' | 'rated';

export interface TranscriptSystemEntry {
  kind: 'system';
  event: SystemEvent;
  at: string;
  /** Who did it; null for automatic actions. */
  actorId: string | null;
  /** Event details: the member or role, the priority, the reason, form answers, the rating. */
  details: Record<string, string | number | null | Array<{ question: string; answer: string }>>;
}

export type TranscriptEntry = TranscriptMessage | TranscriptSystemEntry;

export interface TranscriptDocument {
  format: typeof TRANSCRIPT_FORMAT;
  version: typeof TRANSCRIPT_VERSION;
  generatedAt: string;
  /**
   * False when Discord's message history could not be read at close (the channel was already gone
   * or out of reach): the transcript holds what the live log saw, which may miss messages.
   */
  historyComplete: boolean;
  guild: { id: string; name: string | null };
  ticket: {
    number: number;
    category: { id: string; name: string };
    mode: 'thread' | 'channel';
    channelId: string | null;
    openerId: string;
    claimedBy: string | null;
    priority: string;
    openedAt: string;
    closedAt: string;
    closedBy: string | null;
    closeReason: string | null;
    answers: Array<{ question: string; answer: string }>;
    rating: number | null;
    feedback: string | null;
  };
  users: Record<string, TranscriptUser>;
  /** Messages and system entries in time order. */
  entries: TranscriptEntry[];
  stats: { messages: number; deleted: number; edited: number; attachments: number; attachmentsArchived: number; participants: number };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** Raster images a browser shows without running anything (never SVG or HTML): inlined, or shown from the archive. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The name a transcript shows for a user: display name, else username, else the id. */
export function displayName(users: Record<string, TranscriptUser>, id: string | null): string {
  if (!id) return 'Unknown user';
  const u = users[id];
  return u ? (u.displayName ?? u.username) : `User ${id}`;
}
