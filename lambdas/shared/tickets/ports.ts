import type { Category, FormAnswer, GuildSettings, Ticket, TicketMode, TranscriptStatus } from './model';

export interface ReserveTicketInput {
  guildId: string;
  category: Category;
  openerId: string;
  mode: TicketMode;
  answers: FormAnswer[];
  aboutMessageUrl: string | null;
  now: number;
  /**
   * The member's slot in this category, read consistently earlier in the same request (side by
   * side with the other opening reads, to save a round trip); read here when absent. Only the early
   * refusal uses it: the transaction still decides.
   */
  memberSlot?: MemberSlot;
}

/** A member's open tickets and last open in one category (the item `reserveTicket` conditions on). */
export interface MemberSlot {
  openNumbers: number[];
  lastOpenAt: number | null;
}

/** Why a reservation was refused; the domain turns it into the member's message. */
export type ReservationRefusal =
  | { reason: 'member_limit'; openTickets: Ticket[]; limit: number }
  | { reason: 'cooldown'; retryAt: number }
  | { reason: 'category_full'; cap: number }
  | { reason: 'category_deleted' };

export type ReservationResult = { ok: true; ticket: Ticket } | ({ ok: false } & ReservationRefusal);

/**
 * Persistence of settings, categories and tickets (DESIGN §3: `GUILD#<gid>` partition).
 * Limits are enforced by conditional writes, so concurrent opens can never exceed them.
 */
export interface TicketStore {
  getSettings(guildId: string): Promise<GuildSettings | null>;
  saveSettings(guildId: string, settings: GuildSettings): Promise<void>;

  getCategory(guildId: string, categoryId: string): Promise<Category | null>;
  listCategories(guildId: string): Promise<Category[]>;
  /**
   * Replaces an existing category's fields (its open-ticket count is kept); false when there is no
   * such category or it was deleted — an edit never brings a deleted category back.
   */
  saveCategory(guildId: string, category: Category): Promise<boolean>;
  /**
   * Deletes a category, leaving a tombstone that get/list ignore and that keeps its id taken for
   * good (old tickets, slots and panel buttons name it); false when it was already deleted.
   */
  deleteCategory(guildId: string, categoryId: string, now: number): Promise<boolean>;
  /** Creates a category only if its id was never used (`/category create`, `/setup`); false when taken. */
  createCategory(guildId: string, category: Category): Promise<boolean>;

  /** The blacklist entry's reason, or undefined when the member may open tickets. */
  blacklistEntry(guildId: string, userId: string): Promise<{ reason: string | null } | undefined>;

  /**
   * Takes the next ticket number and, in one transaction, the member's slot (per-member limit and
   * cooldown), the category's slot (total cap) and the ticket row in status `opening`.
   */
  reserveTicket(input: ReserveTicketInput): Promise<ReservationResult>;
  /**
   * Why `reserveTicket` would refuse this member in this category right now (per-member limit,
   * cooldown, total cap), read only: asked before a form is shown. The reservation still decides.
   */
  reservationRefusal(guildId: string, openerId: string, category: Category, now: number, memberSlot?: MemberSlot): Promise<ReservationRefusal | null>;
  /** The member's slot in a category (consistent read), for `reserveTicket` / `reservationRefusal`. */
  memberSlot(guildId: string, openerId: string, categoryId: string): Promise<MemberSlot>;
  /**
   * Undoes a reservation whose channel could not be made: row deleted, slots released. Only while
   * it is still `opening` and its recorded channel is `channelId` or none (a channel another attempt
   * recorded is never abandoned with its row); true when this call undid it (false: already undone,
   * opened since, or holding another channel).
   */
  abandonTicket(ticket: Ticket, channelId: string | null): Promise<boolean>;

  getTicket(guildId: string, number: number): Promise<Ticket | null>;
  /** The ticket living in `channelId` (thread or channel), via the channel index. */
  ticketByChannel(channelId: string): Promise<Ticket | null>;
  /** Records the created thread/channel once; returns the channel id that is recorded. */
  attachChannel(ticket: Ticket, channelId: string): Promise<string>;
  /** `opening` → `open` with the welcome message. */
  /** `opening` → `open` with the welcome message (null when it could not be posted after repairs). */
  markOpen(ticket: Ticket, welcomeMessageId: string | null, now: number): Promise<void>;
  /** Reserved tickets still `opening` at `now` (their repair is due), from the ByDue index. */
  dueRepairs(now: number, limit: number): Promise<DueTicket[]>;
  /** Claims one repair attempt (moves the due time); the attempt count, or null if someone else did. */
  claimRepair(guildId: string, number: number, seenDueAt: number, nextDueAt: number): Promise<number | null>;

  // Working, closing and reopening a ticket. Every change is conditional on the ticket's current
  // state, so two staff pressing at once can never both win.

  /** Changes an open ticket's claim or priority; null when it is not open or `expect` no longer holds. */
  updateOpenTicket(guildId: string, number: number, changes: TicketChanges, expect?: { claimedBy: string | null }): Promise<Ticket | null>;
  /**
   * Records activity on an open ticket: `lastActivityAt` and the auto-close due time (from
   * `settings`, read when not given); clears a posted auto-close warning. Writes at most once a
   * minute per ticket unless the due state must change. Interactions call it now, gateway message
   * events later. False when nothing was written.
   */
  touchTicket(guildId: string, number: number, now: number, settings?: GuildSettings | null): Promise<boolean>;
  /**
   * open → closed, and in the same transaction the opener's slot (`openNumbers`) and the
   * category's `openCount` are released. Null when the ticket was not open any more, or (auto-close)
   * had activity after `expectLastActivityAt`.
   */
  closeTicket(ticket: Ticket, close: CloseTicketInput): Promise<Ticket | null>;
  /**
   * closed → open, re-taking the opener's and the category's slots if the limits still allow, and
   * (auto-close on in `settings`) entering the due index in the same write. A channel-mode ticket
   * whose archive was claimed ({@link claimArchive}) is refused: its channel is being deleted.
   */
  reopenTicket(ticket: Ticket, category: Category, by: string, now: number, settings: GuildSettings | null): Promise<ReopenResult>;
  /**
   * Takes the archive of the close at `closedAt` before Discord is touched (`archivingAt`); the
   * ticket as it is then, or null when it is no longer that close (reopened meanwhile).
   */
  claimArchive(guildId: string, number: number, closedAt: number, now: number): Promise<Ticket | null>;
  /** Gives a claimed archive back when Discord refused it (the channel is still there). */
  releaseArchive(guildId: string, number: number, closedAt: number): Promise<void>;
  /** Notes that the thread was archived / the channel deleted, for the close at `closedAt` only. */
  markArchived(guildId: string, number: number, closedAt: number, now: number): Promise<boolean>;
  /**
   * Stores the opener's rating and/or comment on the close at `closedAt`; false when `userId` did
   * not open that ticket, or it is not closed (any more, or again) at that time.
   */
  recordFeedback(guildId: string, number: number, userId: string, closedAt: number, feedback: { rating?: number; comment?: string }, now: number): Promise<boolean>;
  /**
   * Records the transcript's state; with `forClose`, only while the ticket is still that close
   * (false otherwise) and with the failure being retried (`error`, a short code) or cleared.
   */
  setTranscriptStatus(guildId: string, number: number, status: TranscriptStatus, forClose?: { closedAt: number; error?: string | null }): Promise<boolean>;
  /** Closed tickets whose transcript is overdue (`DUE#transcript`, set by the close), oldest first. */
  dueTranscriptBuilds(now: number, limit: number): Promise<DueTicket[]>;
  /**
   * Claims one transcript repair (moves the due time, counts it) if the due time is still
   * `seenDueAt`; the close it is for, its transcript state and the repair count, or null.
   */
  claimTranscriptRepair(guildId: string, number: number, seenDueAt: number, nextDueAt: number): Promise<{ closedAt: number; transcriptStatus: TranscriptStatus | null; repairs: number } | null>;

  /** Tickets whose auto-close step is due (`ByDue` index, `DUE#autoclose`), oldest first. */
  dueAutoCloses(now: number, limit: number): Promise<DueTicket[]>;
  /** Moves the due time (null: out of the index) if it is still `seenDueAt`; false otherwise. */
  rescheduleAutoClose(guildId: string, number: number, seenDueAt: number, dueAt: number | null): Promise<boolean>;
  /**
   * Claims the idle warning before it is posted (so a retried job never posts it twice) and moves
   * the due time to the close: only once, and only if there was no activity since `lastActivityAt`.
   */
  markAutoCloseWarned(guildId: string, number: number, lastActivityAt: number, now: number, closeAt: number): Promise<boolean>;
  /**
   * One page of the guild's open tickets (a Query on its partition, filtered on status), after
   * ticket `after`; `next` continues, null at the end.
   */
  openTickets(guildId: string, after: number | null): Promise<{ tickets: OpenTicketDue[]; next: number | null }>;
  /** Sets (or, null, clears) an open ticket's auto-close due time, if it had no activity since `lastActivityAt`. */
  scheduleAutoClose(guildId: string, number: number, lastActivityAt: number, dueAt: number | null): Promise<boolean>;

  /** The member's open tickets in the guild (from their per-category slots), by number. */
  openTicketsOf(guildId: string, userId: string): Promise<Ticket[]>;
  /**
   * The tickets (current rows, any status) that were open when the member's leave at `at` was
   * first handled: recorded with the leave, so a redelivery finds the tickets it closed itself.
   */
  ticketsOpenWhenOpenerLeft(guildId: string, userId: string, at: number): Promise<Ticket[]>;
  /** Notes that the opener left the guild (`openerLeftAt`); false when not open or already noted. */
  markOpenerLeft(guildId: string, number: number, at: number): Promise<boolean>;

  addToBlacklist(guildId: string, entry: BlacklistEntry): Promise<void>;
  /** False when the member was not blacklisted. */
  removeFromBlacklist(guildId: string, userId: string): Promise<boolean>;
  listBlacklist(guildId: string): Promise<BlacklistEntry[]>;
}

export type TicketChanges = Partial<Pick<Ticket, 'claimedBy' | 'priority'>>;

export interface CloseTicketInput {
  /** Null for an automatic close. */
  closedBy: string | null;
  reason: string | null;
  now: number;
  /** Auto-close: only if nothing happened on the ticket since. */
  expectLastActivityAt?: number;
}

export type ReopenResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'not_closed' }
  /** Channel mode: the archive job already took it; the channel is deleted or about to be. */
  | { ok: false; reason: 'archived' }
  | ({ ok: false } & Exclude<ReservationRefusal, { reason: 'cooldown' }>);

export interface DueTicket {
  guildId: string;
  number: number;
  dueAt: number;
}

/** An open ticket as auto-close scheduling sees it. */
export type OpenTicketDue = Pick<Ticket, 'number' | 'status' | 'lastActivityAt' | 'autoCloseWarnedAt'> & { dueAt: number | null };

export interface BlacklistEntry {
  userId: string;
  reason: string | null;
  addedBy: string;
  addedAt: number;
}
