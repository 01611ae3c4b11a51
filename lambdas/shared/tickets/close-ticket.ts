import type { Clock } from '../clock';
import { ButtonStyle, ComponentKind, PermissionFlagsBits } from '../discord-constants';
import { DiscordActionError } from '../errors';
import { MEMBER_ALLOW } from '../contracts/ticket-channel';
import type { DiscordApi, MessageBody, Overwrite } from '../ports/discord';
import type { Telemetry } from '../ports/telemetry';
import { MAX_DELAY_SECONDS, type WorkQueue } from '../ports/work-queue';
import { safeError } from '../safe-error';
import { telemetryCategoryRef } from '../telemetry/category-ref';
import { rateCustomId } from './feedback';
import { channelLink, relativeTime, ticketLabel, userMention } from './messages';
import type { Category, Ticket } from './model';
import type { TicketStore } from './ports';
import { logToStaff } from './staff-log';
import { deliveryNonce } from '../transcripts/deliver';
import { onTicketClosed } from './transcript-handover';
import { ticketButtons, ticketEmbed } from './welcome';

/** What the worker's ticket effects use (the worker's deps satisfy it). */
export interface TicketEffectsDeps {
  tickets: TicketStore;
  discord: DiscordApi;
  workQueue: WorkQueue;
  telemetry: Telemetry;
  /** Keys the opaque category values telemetry sends instead of category ids. */
  telemetryKey: string;
  clock: Clock;
  log: { warn(msg: string, extra: Record<string, unknown>): void };
}

/** Who or what closed a ticket; `channel-removed` / `opener-left` come from gateway events. */
export type CloseSource = 'staff' | 'opener' | 'request' | 'auto' | 'channel-removed' | 'opener-left';

/** Discord's "Unknown Channel": the thread or channel is already gone. */
export const isGoneChannel = (err: unknown) => err instanceof DiscordActionError && err.discordCode === 10003;

/** Cosmetic steps (notices, the log line, the DM) must not stop the ones that matter. */
export async function bestEffort(what: string, deps: TicketEffectsDeps, step: () => Promise<unknown>): Promise<void> {
  await step().catch((err) => deps.log.warn(`could not ${what}`, { error: safeError(err) }));
}

/** The welcome message re-rendered from the row: embed (claim, priority, status) and buttons. */
export async function refreshWelcome(ticket: Ticket, deps: Pick<TicketEffectsDeps, 'tickets' | 'discord'>, category?: Category | null): Promise<void> {
  if (!ticket.channelId || !ticket.welcomeMessageId) return;
  const cat = category === undefined ? await deps.tickets.getCategory(ticket.guildId, ticket.categoryId) : category;
  await deps.discord.editMessage(ticket.channelId, ticket.welcomeMessageId, { embeds: [ticketEmbed(ticket, cat ?? { name: 'Ticket', emoji: null })], components: ticketButtons(ticket) });
}

/**
 * The opener's overwrite on a ticket channel: the member set while open (as the channel was made),
 * the same without Send Messages once closed (reading stays, writing stops until a reopen).
 * @see https://discord.com/developers/docs/resources/channel#edit-channel-permissions
 */
export function openerOverwrite(openerId: string, state: 'open' | 'closed'): Overwrite {
  const deny = state === 'closed' ? PermissionFlagsBits.SendMessages : 0n;
  return { id: openerId, type: 1, allow: String(MEMBER_ALLOW & ~deny), deny: String(deny) };
}

/** "by @x", or why nobody did: idleness, or (closes from gateway events) the reason line tells. */
const closer = (t: Ticket, source?: CloseSource) =>
  t.closedBy ? `by ${userMention(t.closedBy)}` : source === 'channel-removed' || source === 'opener-left' ? 'automatically' : 'automatically after a period without activity';

/** Posted in the ticket when it closes. */
export function closeNotice(ticket: Ticket, delaySeconds: number, now: number, source?: CloseSource): MessageBody {
  const what = ticket.mode === 'thread' ? 'This thread will be locked and archived' : 'This channel will be deleted';
  const when = delaySeconds > 0 ? ` ${relativeTime(now + delaySeconds * 1000)}` : ' now';
  return {
    content: `🔒 Ticket ${ticketLabel(ticket)} was closed ${closer(ticket, source)}.${ticket.closeReason ? `\n**Reason:** ${ticket.closeReason}` : ''}\n${what}${when}.`,
    allowed_mentions: { parse: [] },
  };
}

/**
 * The feedback prompt DMed to the opener: 1–5 star buttons (`dw1:rate:<guild>:<n>:<closed>:<stars>`,
 * for this close only); a rating then offers an optional comment (see the `rate` actions).
 */
export function feedbackPrompt(ticket: Ticket, guildName: string | null): MessageBody {
  return {
    content: `Your ticket ${ticketLabel(ticket)}${guildName ? ` in **${guildName}**` : ''} was closed. How was the support you got? Rate it from 1 to 5 stars.`,
    components: [
      {
        type: ComponentKind.ActionRow,
        components: [1, 2, 3, 4, 5].map((stars) => ({
          type: ComponentKind.Button,
          style: ButtonStyle.Secondary,
          label: String(stars),
          emoji: { name: '⭐' },
          custom_id: rateCustomId(ticket, stars),
        })),
      },
    ] as MessageBody['components'],
    allowed_mentions: { parse: [] },
  };
}

/** The guild's close delay, within what one SQS message delay can carry. */
const closeDelayOf = (settings: { closeDelaySeconds: number } | null) => Math.min(MAX_DELAY_SECONDS, Math.max(0, settings?.closeDelaySeconds ?? 0));

/**
 * Everything after the row is closed (and the opener's slots released): a notice in the ticket,
 * the welcome message without its buttons, a log line, the feedback DM and the transcript
 * hand-over. The archive comes after, from {@link scheduleArchive}, once the caller has answered
 * in the ticket (nothing is posted into a thread after it is archived).
 */
export async function finishClose(ticket: Ticket, source: CloseSource, deps: TicketEffectsDeps): Promise<void> {
  const [settings, category] = await Promise.all([deps.tickets.getSettings(ticket.guildId), deps.tickets.getCategory(ticket.guildId, ticket.categoryId)]);
  const delay = closeDelayOf(settings);
  const now = deps.clock.now();
  // A job redelivered after a late failure runs all of this again: the nonces make Discord return
  // the messages already posted for this close instead of posting them twice.
  const once = (kind: 'close-notice' | 'close-log' | 'feedback') => (ticket.closedAt === null ? undefined : deliveryNonce({ ...ticket, closedAt: ticket.closedAt }, kind));
  const nonced = (body: MessageBody, kind: 'close-notice' | 'feedback'): MessageBody => {
    const nonce = once(kind);
    return nonce ? { ...body, nonce, enforce_nonce: true } : body;
  };
  if (ticket.channelId) {
    const channelId = ticket.channelId;
    // A closed ticket channel stays until the close delay has passed: the opener reads, no longer writes.
    if (ticket.mode === 'channel' && source !== 'channel-removed' && source !== 'opener-left') {
      await bestEffort('make the channel read-only for the opener', deps, () => deps.discord.setOverwrite(channelId, openerOverwrite(ticket.openerId, 'closed'), `Ticket ${ticketLabel(ticket)} closed`));
    }
    await bestEffort('post the close notice', deps, () => deps.discord.postMessage(channelId, nonced(closeNotice(ticket, delay, now, source), 'close-notice')));
    await bestEffort('update the welcome message', deps, () => refreshWelcome(ticket, deps, category));
  }
  if (settings) await logToStaff(settings, closeLogLine(ticket, source), deps, once('close-log'));
  await bestEffort('send the feedback prompt', deps, async () => {
    const guild = await deps.discord.getGuild(ticket.guildId).catch(() => null);
    await deps.discord.sendDirectMessage(ticket.openerId, nonced(feedbackPrompt(ticket, guild?.name ?? null), 'feedback'));
  });
  await onTicketClosed(ticket, deps);
  deps.telemetry.capture({ event: 'ticket_closed', guildId: ticket.guildId, properties: { category_id: telemetryCategoryRef(deps.telemetryKey, ticket.guildId, ticket.categoryId), mode: ticket.mode, source } });
}

/**
 * Queues the archive (thread locked + archived / channel deleted) of the close at `closedAt`,
 * delayed by the guild's close delay. The archive job is idempotent and skips a ticket reopened
 * meanwhile, so scheduling it again (a redelivered close job) is harmless.
 */
export async function scheduleArchive(ticket: Pick<Ticket, 'guildId' | 'number' | 'closedAt'>, deps: Pick<TicketEffectsDeps, 'tickets' | 'workQueue'>): Promise<void> {
  if (ticket.closedAt === null) return;
  const settings = await deps.tickets.getSettings(ticket.guildId);
  await deps.workQueue.enqueue({ type: 'ticket.archive', guildId: ticket.guildId, number: ticket.number, closedAt: ticket.closedAt }, { delaySeconds: closeDelayOf(settings) });
}

function closeLogLine(ticket: Ticket, source: CloseSource): string {
  const where = ticket.channelId ? ` (${channelLink(ticket.channelId)})` : '';
  return `🔒 Ticket ${ticketLabel(ticket)}${where} opened by ${userMention(ticket.openerId)} was closed ${closer(ticket, source)}.${ticket.closeReason ? ` Reason: ${ticket.closeReason}` : ''}`;
}

/**
 * The delayed end of a close: lock + archive the thread, or delete the channel — only for the close
 * the job was queued for (a reopened, or reopened and closed again, ticket has another `closedAt`).
 *
 * The archive is claimed in the row (`archivingAt`) before Discord is touched, so a reopen racing
 * it cannot lose its thread or channel: in channel mode the reopen is refused from the claim on
 * (the channel is going); in thread mode a reopen may still win, and is seen after the lock by the
 * conditional `markArchived` — then the lock is undone. Safe to repeat; a thread or channel
 * already gone counts as done.
 */
export async function archiveClosedTicket(job: { guildId: string; number: number; closedAt: number }, deps: Pick<TicketEffectsDeps, 'tickets' | 'discord' | 'clock'>): Promise<'archived' | 'skipped'> {
  const ticket = await deps.tickets.claimArchive(job.guildId, job.number, job.closedAt, deps.clock.now());
  if (!ticket) return 'skipped';
  if (ticket.archivedAt) return 'archived';
  const { channelId } = ticket;
  const reason = `Ticket ${ticketLabel(ticket)} closed`;
  if (channelId) {
    try {
      if (ticket.mode === 'thread') await deps.discord.modifyChannel(channelId, { locked: true, archived: true, reason });
      else await deps.discord.deleteChannel(channelId, reason);
    } catch (err) {
      if (!isGoneChannel(err)) {
        // The channel is still there: give the close back so it can be reopened, and retry.
        await deps.tickets.releaseArchive(job.guildId, job.number, job.closedAt);
        throw err;
      }
    }
  }
  if (await deps.tickets.markArchived(job.guildId, job.number, job.closedAt, deps.clock.now())) return 'archived';
  // Reopened while the thread was being locked (its own unarchive may have come first): unlock it.
  const current = await deps.tickets.getTicket(job.guildId, job.number);
  if (channelId && ticket.mode === 'thread' && current?.status === 'open') {
    await deps.discord.modifyChannel(channelId, { locked: false, archived: false, reason: `Ticket ${ticketLabel(ticket)} reopened` });
  }
  return 'skipped';
}
