/**
 * The ticketing domain: what a guild configures and what a ticket is. Plain data, no I/O.
 */

export type TicketMode = 'thread' | 'channel';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** Guild-wide ticket settings (on the guild's CONFIG item). `/setup` writes a working default. */
export interface GuildSettings {
  /** Roles that work every ticket (categories may add their own). */
  staffRoleIds: string[];
  /** Default mode for categories that do not choose. */
  mode: TicketMode;
  /** Thread mode: the text channel the private threads live under. */
  supportChannelId: string | null;
  /** Channel mode: the category new ticket channels go into. */
  ticketCategoryId: string | null;
  logChannelId: string | null;
  transcriptChannelId: string | null;
  /** The opener may close their own ticket. */
  openerCanClose: boolean;
  /** A closed ticket may be reopened within this many hours (0 = never). */
  reopenWindowHours: number;
  /** Seconds between closing and deleting the channel / locking the thread. */
  closeDelaySeconds: number;
  /** Close after this many hours without activity (null = never), warning `autoCloseWarnHours` before. */
  autoCloseHours: number | null;
  autoCloseWarnHours: number;
  /** What happens to a member's open tickets when they leave the server (absent on older settings: the default). */
  openerLeaves?: OpenerLeavesAction;
  updatedAt: number;
  /** Days a stored transcript is kept (null = forever). Absent on settings saved before transcripts: forever. */
  transcriptRetentionDays?: number | null;
  /** DM the opener a link to their transcript. Absent: no. */
  transcriptDmOpener?: boolean;
}

/**
 * When a member with open tickets leaves: `close` them (as a hand-close would, with the transcript),
 * `flag` them (a note in each ticket and the log channel; staff decide), or do `nothing`.
 */
export type OpenerLeavesAction = 'close' | 'flag' | 'nothing';
export const OPENER_LEAVES_ACTIONS: readonly OpenerLeavesAction[] = ['close', 'flag', 'nothing'];

export const DEFAULT_SETTINGS: Omit<GuildSettings, 'staffRoleIds' | 'mode' | 'supportChannelId' | 'ticketCategoryId' | 'logChannelId' | 'transcriptChannelId' | 'updatedAt'> = {
  openerCanClose: true,
  reopenWindowHours: 24,
  closeDelaySeconds: 10,
  autoCloseHours: null,
  autoCloseWarnHours: 12,
  openerLeaves: 'flag',
  transcriptRetentionDays: null,
  transcriptDmOpener: false,
};

/** The guild's choice for members with open tickets who leave (settings saved before it existed: the default). */
export const openerLeavesOf = (s: Pick<GuildSettings, 'openerLeaves'> | null): OpenerLeavesAction => s?.openerLeaves ?? DEFAULT_SETTINGS.openerLeaves!;

/** One question of a category's form (a modal text input). @see https://discord.com/developers/docs/components/reference#text-input */
export interface FormQuestion {
  id: string;
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  minLength?: number;
  maxLength?: number;
  placeholder?: string;
}

export interface CategoryLimits {
  /** Open tickets one member may have in this category at once. */
  perMember: number;
  /** Minutes a member waits between opening tickets in this category. */
  cooldownMinutes: number;
  /** Open tickets in this category at once (null = no cap). */
  totalOpen: number | null;
}

export interface SupportHours {
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  /** ISO weekdays 1 (Mon) … 7 (Sun). */
  days: number[];
  /** "HH:MM" local start and end. */
  start: string;
  end: string;
  outside: 'warn' | 'refuse';
}

export interface Category {
  id: string;
  name: string;
  emoji: string | null;
  description: string | null;
  /** Extra staff for this category, on top of the guild's. */
  staffRoleIds: string[];
  /** Null: the guild's mode. */
  mode: TicketMode | null;
  /** Thread mode: parent text channel; channel mode: parent category. Null: the guild's. */
  parentId: string | null;
  /** `ticket-{number}`, `{username}`, `{category}`: rendered to a channel/thread name. */
  nameTemplate: string;
  questions: FormQuestion[];
  limits: CategoryLimits;
  hours: SupportHours | null;
  createdAt: number;
}

export const DEFAULT_CATEGORY_LIMITS: CategoryLimits = { perMember: 1, cooldownMinutes: 0, totalOpen: null };

/** A category with the defaults for everything not given (no form, default limits, always open). */
export function newCategory(fields: Partial<Category> & Pick<Category, 'name' | 'createdAt'>): Category {
  return {
    id: '',
    emoji: null,
    description: null,
    staffRoleIds: [],
    mode: null,
    parentId: null,
    nameTemplate: 'ticket-{number}',
    questions: [],
    limits: { ...DEFAULT_CATEGORY_LIMITS },
    hours: null,
    ...fields,
  };
}
export const MAX_QUESTIONS = 5;

export type TicketStatus = 'opening' | 'open' | 'closed';

export interface FormAnswer {
  questionId: string;
  label: string;
  value: string;
}

export interface Ticket {
  guildId: string;
  number: number;
  categoryId: string;
  openerId: string;
  status: TicketStatus;
  mode: TicketMode;
  /** Set once the thread/channel exists. */
  channelId: string | null;
  welcomeMessageId: string | null;
  answers: FormAnswer[];
  /** The message a ticket was opened about (message context menu), as a link. */
  aboutMessageUrl: string | null;
  claimedBy: string | null;
  priority: Priority;
  createdAt: number;
  lastActivityAt: number;
  closedAt: number | null;
  /** Who closed it; null for an automatic close (auto-close). */
  closedBy: string | null;
  closeReason: string | null;
  /** The opener's rating, 1..5, and optional comment from the feedback prompt. */
  rating: number | null;
  feedback: string | null;
  /** When the auto-close warning was posted; activity clears it. */
  autoCloseWarnedAt?: number | null;
  /**
   * When the archive job took this close's archive, before touching Discord: from then on a
   * channel-mode ticket cannot be reopened (its channel is being deleted).
   */
  archivingAt?: number | null;
  /** When the closed ticket's thread was locked + archived, or its channel deleted. */
  archivedAt?: number | null;
  reopenedAt?: number | null;
  reopenedBy?: string | null;
  /** Set by the transcript hand-over at close (see `transcript-handover.ts`). */
  transcriptStatus?: TranscriptStatus | null;
  /** When the opener left the server while the ticket was open (the `flag` setting); a reopen clears it. */
  openerLeftAt?: number | null;
  /** While `failed-retrying` / `failed`: what went wrong (an error name, never content). */
  transcriptError?: string | null;
}

/**
 * `pending`: set by the close itself, the build is queued; `stored`: archived; `failed-retrying`:
 * the last attempt failed and SQS retries it; `failed`: every attempt failed, the job is in the
 * dead-letter queue (replayable with `npm run ops -- dlq replay work`).
 */
export type TranscriptStatus = 'pending' | 'stored' | 'failed-retrying' | 'failed';

/** Bounds of what members and staff type (Discord's own limits are higher). */
export const MAX_CLOSE_REASON = 500;
export const MAX_FEEDBACK = 1000;

/** Renders a naming template into a Discord-safe channel/thread name (≤ 100 chars). */
export function renderTicketName(template: string, vars: { number: number; username: string; category: string }): string {
  const raw = template
    .replace(/\{number\}/g, String(vars.number).padStart(4, '0'))
    .replace(/\{username\}/g, vars.username)
    .replace(/\{category\}/g, vars.category);
  const cleaned = raw
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return (cleaned || `ticket-${vars.number}`).slice(0, 100);
}
