import { allSettledOrThrow } from '../all-settled';
import type { Clock } from '../clock';
import { RetryLaterError } from '../errors';
import type { GatewayEvent } from '../contracts/gateway-event';
import type { WorkQueue } from '../ports/work-queue';
import { snowflakeTime, type LoggedMessage, type TicketLogStore } from './live-log';
import { ACTIVITY_WRITE_INTERVAL_MS } from './auto-close-schedule';
import { openerLeavesOf, type GuildSettings, type Ticket } from './model';
import type { TicketStore } from './ports';

/** Ticket-related gateway events (the guild lifecycle ones are handled in `domain/guild-lifecycle.ts`). */
export type TicketGatewayEvent = Extract<GatewayEvent, { type: 'message.create' | 'message.update' | 'message.delete' | 'channel.delete' | 'channel.archive' | 'member.leave' }>;

export interface TicketEventDeps {
  tickets: TicketStore;
  ticketLog: TicketLogStore;
  /** Discord work (notices, log lines, DMs, the archive) is the worker's, through this queue. */
  workQueue: WorkQueue;
  clock: Clock;
  log: { info(msg: string, extra: Record<string, unknown>): void };
  /** Per-container memory of channel → ticket and of guild settings (see {@link TicketLookups}). */
  lookups: TicketLookups;
}

/** Why a ticket was closed without anyone pressing Close (`closeReason`, shown in the notice and log). */
export const CLOSE_REASONS = {
  channelDeleted: 'The ticket’s channel was deleted.',
  threadDeleted: 'The ticket’s thread was deleted.',
  threadLocked: 'The ticket’s thread was archived and locked.',
  openerLeft: 'The member who opened it left the server.',
} as const;

/**
 * A message of a channel without a ticket row is dropped (never stored) — unless the channel was
 * created this recently: the channel → ticket index is eventually consistent, so a ticket attached
 * a moment ago may not be listed yet. Such an event fails and SQS delivers it again, up to
 * {@link NEW_CHANNEL_ATTEMPTS} times, before it is dropped.
 */
export const NEW_CHANNEL_MS = 2 * 60_000;
export const NEW_CHANNEL_ATTEMPTS = 3;

/**
 * A lock whose archive time is before a ticket's reopen, or this little after it, is Deskwire's
 * own archive racing that reopen (the worker then unlocks the thread), not a moderator shutting
 * the ticket: it does not close the reopened ticket.
 */
export const LOCK_RACE_MARGIN_MS = 2 * 60_000;

/** How long a λ container trusts guild settings it read (activity timing works in hours). */
const SETTINGS_TTL_MS = 60_000;
/** Channels remembered per container; a ticket's channel never changes, so entries never go stale. */
const MAX_CHANNELS = 10_000;

/**
 * What one λ container remembers between events: which ticket a channel belongs to (it never
 * changes once attached), each guild's settings for a minute, and when it last wrote each
 * ticket's activity. A message then costs the log write, plus the activity write at most once a
 * minute per ticket — not two extra reads and a conditional write that is bound to fail.
 */
export class TicketLookups {
  private readonly channels = new Map<string, { guildId: string; number: number }>();
  private readonly settings = new Map<string, { value: GuildSettings | null; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly tickets: TicketStore) {}

  /** The ticket living in `channelId` (fresh state), remembering its number. */
  async ticket(channelId: string): Promise<Ticket | null> {
    const known = this.channels.get(channelId);
    const ticket = known ? await this.tickets.getTicket(known.guildId, known.number) : await this.tickets.ticketByChannel(channelId);
    if (ticket && !known) this.remember(channelId, ticket);
    return ticket;
  }

  /** Only the ticket's key, from memory when possible (no read of the row). */
  async ticketKey(channelId: string): Promise<{ guildId: string; number: number } | null> {
    const known = this.channels.get(channelId);
    if (known) return known;
    const ticket = await this.tickets.ticketByChannel(channelId);
    if (ticket) this.remember(channelId, ticket);
    return ticket ? { guildId: ticket.guildId, number: ticket.number } : null;
  }

  async settingsOf(guildId: string, now: number): Promise<GuildSettings | null> {
    const cached = this.settings.get(guildId);
    if (cached && cached.until > now) return cached.value;
    const value = await this.tickets.getSettings(guildId);
    this.settings.set(guildId, { value, until: now + SETTINGS_TTL_MS });
    return value;
  }

  /**
   * Whether this container wrote the ticket's activity less than a minute before `now`. The
   * store's write would then be refused (it writes once a minute unless a warning or the due state
   * must change), and nothing can have changed those since: a warning comes hours after the last
   * activity, and a close or reopen sets them itself.
   */
  touchedRecently(key: { guildId: string; number: number }, now: number): boolean {
    const at = this.touched.get(`${key.guildId}#${key.number}`);
    return at !== undefined && now - at < ACTIVITY_WRITE_INTERVAL_MS;
  }

  /** This container just wrote the ticket's activity at `now`. */
  noteTouched(key: { guildId: string; number: number }, now: number): void {
    if (this.touched.size >= MAX_CHANNELS) this.touched.delete(this.touched.keys().next().value!);
    this.touched.set(`${key.guildId}#${key.number}`, now);
  }

  private remember(channelId: string, ticket: Ticket): void {
    if (this.channels.size >= MAX_CHANNELS) this.channels.delete(this.channels.keys().next().value!);
    this.channels.set(channelId, { guildId: ticket.guildId, number: ticket.number });
  }
}

/**
 * Applies one ticket event from the gateway:
 * - messages → the live log (create, edit history, deletion markers), only for channels that have
 *   a ticket row (anything else is dropped unstored); a person's message is activity for
 *   auto-close (the bot's own — welcome, warnings, notices — and other bots' are not);
 * - the thread or channel of an open ticket deleted by hand (or its thread archived and locked) →
 *   the ticket is closed as if closed by hand, with its transcript;
 * - the opener of open tickets leaving → per the guild's `openerLeaves`: close, flag, or nothing.
 *
 * Every step is idempotent (SQS may deliver twice): log writes are conditional, closes are
 * conditional on the ticket being open, and the worker's half is keyed on the close.
 * `attempt` is the SQS receive count of the event.
 */
export async function handleTicketEvent(event: TicketGatewayEvent, deps: TicketEventDeps, attempt = 1): Promise<void> {
  switch (event.type) {
    case 'message.create':
      return recordMessage(event, deps, attempt);
    case 'message.update': {
      if (!(await ticketOf(event, deps, attempt))) return;
      return deps.ticketLog.recordUpdate({
        guildId: event.guildId,
        channelId: event.channelId,
        messageId: event.messageId,
        editedAt: event.editedAt,
        ...(event.content !== undefined ? { content: event.content } : {}),
        ...(event.embeds ? { embeds: event.embeds } : {}),
        ...(event.attachments ? { attachments: event.attachments } : {}),
        ...(event.unfurl ? { unfurl: true } : {}),
      });
    }
    case 'message.delete':
      if (!(await ticketOf(event, deps, attempt))) return;
      return deps.ticketLog.recordDelete(event.guildId, event.channelId, event.messageIds, event.at);
    case 'channel.delete':
      return closeForChannel(event.channelId, CLOSE_REASONS[event.kind === 'thread' ? 'threadDeleted' : 'channelDeleted'], deps);
    case 'channel.archive':
      // Discord archives idle threads by itself and the next message unarchives them: only a lock
      // (by a moderator) shuts the ticket's members out for good.
      if (!event.locked) return;
      return closeForChannel(event.channelId, CLOSE_REASONS.threadLocked, deps, (ticket) => {
        const raced = ticket.reopenedAt != null && event.archivedAt < ticket.reopenedAt + LOCK_RACE_MARGIN_MS;
        if (raced) deps.log.info('thread lock before the ticket’s reopen ignored', { guildId: ticket.guildId, number: ticket.number });
        return raced;
      });
    case 'member.leave':
      return openerLeft(event, deps);
  }
}

/**
 * The ticket of a message event's channel, or null when it has none (the event is then dropped:
 * the live log holds tickets' messages only). A channel created moments ago may have a ticket the
 * index does not list yet: the event is retried a few times first.
 */
async function ticketOf(event: Extract<TicketGatewayEvent, { channelId: string }>, deps: TicketEventDeps, attempt: number): Promise<{ guildId: string; number: number } | null> {
  const key = await deps.lookups.ticketKey(event.channelId);
  if (key && key.guildId === event.guildId) return key;
  if (!key && attempt < NEW_CHANNEL_ATTEMPTS && event.at - snowflakeTime(event.channelId) < NEW_CHANNEL_MS) {
    throw new RetryLaterError('no ticket listed yet for a channel created moments ago');
  }
  deps.log.info('event of a channel without a ticket dropped', { guildId: event.guildId, channelId: event.channelId, type: event.type });
  return null;
}

async function recordMessage(event: Extract<TicketGatewayEvent, { type: 'message.create' }>, deps: TicketEventDeps, attempt: number): Promise<void> {
  const key = await ticketOf(event, deps, attempt);
  if (!key) return;
  const { type: _type, at: _at, ...fields } = event;
  const message: LoggedMessage = { ...fields, editedAt: null, edits: [], deletedAt: null };
  // Logged whatever the ticket's state: messages between a close and the archive belong to the
  // ticket's history too. The log write and the activity write touch different items and each is
  // safe to repeat, so they run at the same time; the event fails (and comes back) if either does.
  await allSettledOrThrow([deps.ticketLog.recordCreate(message), ...(event.author.bot ? [] : [touchActivity(key, deps)])]);
}

/** A person wrote in the ticket: it is active (auto-close starts over). */
async function touchActivity(key: { guildId: string; number: number }, deps: TicketEventDeps): Promise<void> {
  const now = deps.clock.now();
  if (deps.lookups.touchedRecently(key, now)) return;
  if (await deps.tickets.touchTicket(key.guildId, key.number, now, await deps.lookups.settingsOf(key.guildId, now))) deps.lookups.noteTouched(key, now);
}

/**
 * Closes the open ticket living in `channelId` (unless `keepOpen` says this event must not); the
 * worker finishes the close (log, DM, transcript).
 */
async function closeForChannel(channelId: string, reason: string, deps: TicketEventDeps, keepOpen?: (ticket: Ticket) => boolean): Promise<void> {
  const ticket = await deps.lookups.ticket(channelId);
  if (!ticket || (ticket.status === 'open' && keepOpen?.(ticket))) return;
  await closeFromGateway(ticket, reason, 'channel-removed', deps);
}

/**
 * A close no one pressed (a gateway event): the row is closed and the worker's half queued. Safe
 * to repeat: a redelivery that finds the ticket closed by this kind of event and not archived yet
 * (the row was closed, the job never queued) queues the job again — the worker runs one close's
 * effects once (ledger key on the close).
 */
async function closeFromGateway(ticket: Ticket, reason: string, source: 'channel-removed' | 'opener-left', deps: TicketEventDeps): Promise<void> {
  let current: Ticket | null = ticket;
  if (current.status === 'open') {
    const closed = await deps.tickets.closeTicket(current, { closedBy: null, reason, now: deps.clock.now() });
    if (closed) return finishCloseLater(closed, source, deps);
    // Closed by someone else a moment ago (or by an earlier delivery of this event).
    current = await deps.tickets.getTicket(ticket.guildId, ticket.number);
    if (!current) return;
  }
  if (current.status === 'closed' && current.closedBy === null && current.closeReason === reason && !current.archivedAt) {
    await finishCloseLater(current, source, deps);
  }
}

async function openerLeft(event: Extract<TicketGatewayEvent, { type: 'member.leave' }>, deps: TicketEventDeps): Promise<void> {
  const action = openerLeavesOf(await deps.tickets.getSettings(event.guildId));
  if (action === 'nothing') return;
  if (action === 'close') {
    // The tickets open when this leave was first handled (kept with the event: a close releases
    // the opener's slot, so a redelivery would not find them among the open ones any more).
    const tickets = await deps.tickets.ticketsOpenWhenOpenerLeft(event.guildId, event.userId, event.at);
    for (const ticket of tickets) await closeFromGateway(ticket, CLOSE_REASONS.openerLeft, 'opener-left', deps);
    deps.log.info('opener left', { guildId: event.guildId, tickets: tickets.length, action });
    return;
  }
  const open = await deps.tickets.openTicketsOf(event.guildId, event.userId);
  for (const ticket of open) {
    if ((await deps.tickets.markOpenerLeft(event.guildId, ticket.number, event.at)) || ticket.openerLeftAt === event.at) {
      await deps.workQueue.enqueue({ type: 'ticket.opener-left', guildId: event.guildId, number: ticket.number, leftAt: event.at });
    }
  }
  deps.log.info('opener left', { guildId: event.guildId, tickets: open.length, action });
}

function finishCloseLater(ticket: Ticket, source: 'channel-removed' | 'opener-left', deps: Pick<TicketEventDeps, 'workQueue'>): Promise<void> {
  return deps.workQueue.enqueue({ type: 'ticket.finish-close', guildId: ticket.guildId, number: ticket.number, closedAt: ticket.closedAt!, source });
}
