import type { Clock } from '../clock';
import { buildCustomId } from '../custom-id';
import { ForbiddenError, StaleActionError, UserError } from '../errors';
import { ticketLabel } from './messages';
import { MAX_FEEDBACK, type Ticket } from './model';
import type { TicketStore } from './ports';

/**
 * The opener's feedback on a closed ticket: a rating (1–5, from the DM's star buttons) and an
 * optional comment (a modal). Stored on the ticket; only the opener may give it, and may change it
 * — on the close the prompt was sent for only: not while the ticket is reopened, and an old
 * prompt never rates a later close.
 */
export interface FeedbackDeps {
  tickets: TicketStore;
  clock: Clock;
}

/** The close a feedback prompt is about. Its custom_ids carry it (a DM has no guild of its own). */
export interface FeedbackTarget {
  guildId: string;
  number: number;
  closedAt: number;
}

/** `<guild>:<n>:<closedAt, base 36>`, the arguments of every feedback custom_id. */
const targetArgs = (t: Pick<Ticket, 'guildId' | 'number' | 'closedAt'>) => [t.guildId, String(t.number), (t.closedAt ?? 0).toString(36)];

/** A star button of the prompt: `dw1:rate:<guild>:<n>:<closed>:<stars>`. */
export const rateCustomId = (t: Pick<Ticket, 'guildId' | 'number' | 'closedAt'>, stars: number) => buildCustomId('rate', ...targetArgs(t), String(stars));
/** "Add a comment" (`rate-comment`) and its modal (`rate-feedback`): `dw1:<action>:<guild>:<n>:<closed>`. */
export const feedbackCustomId = (action: 'rate-comment' | 'rate-feedback', t: FeedbackTarget) => buildCustomId(action, ...targetArgs(t));

/** The target from a feedback custom_id's arguments; anything else (an older scheme) is stale. */
export function parseFeedbackTarget([guildId, n, closed]: string[]): FeedbackTarget {
  const number = Number(n);
  if (!guildId || !/^\d{1,20}$/.test(guildId) || !Number.isSafeInteger(number) || number < 1 || !/^[0-9a-z]{1,11}$/.test(closed ?? '')) throw new StaleActionError();
  return { guildId, number, closedAt: parseInt(closed!, 36) };
}

/** Why `userId` may not give feedback on `target` now, as the error to show; nothing when they may. */
export function checkFeedback(ticket: Ticket | null, target: FeedbackTarget, userId: string): void {
  if (!ticket) throw new UserError('This ticket no longer exists.');
  if (ticket.openerId !== userId) throw new ForbiddenError('Only the member who opened this ticket can give feedback on it.');
  const label = ticketLabel(ticket);
  if (ticket.status !== 'closed') throw new UserError(`Ticket ${label} was reopened, so it cannot be rated now. You will be asked again when it closes.`);
  if (ticket.closedAt !== target.closedAt) throw new UserError(`This is about an earlier close of ticket ${label}. Use the feedback message sent when it closed last.`);
}

async function record(target: FeedbackTarget, userId: string, feedback: { rating?: number; comment?: string }, deps: FeedbackDeps): Promise<void> {
  if (await deps.tickets.recordFeedback(target.guildId, target.number, userId, target.closedAt, feedback, deps.clock.now())) return;
  checkFeedback(await deps.tickets.getTicket(target.guildId, target.number), target, userId);
  throw new UserError('This ticket changed at the same moment. Please try again.');
}

export async function rateTicket(target: FeedbackTarget, userId: string, stars: number, deps: FeedbackDeps): Promise<void> {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new UserError('Ratings go from 1 to 5 stars.');
  await record(target, userId, { rating: stars }, deps);
}

export async function commentOnTicket(target: FeedbackTarget, userId: string, comment: string, deps: FeedbackDeps): Promise<void> {
  const text = comment.trim();
  if (!text) throw new UserError('Write a comment, or close the form to skip it.');
  if (text.length > MAX_FEEDBACK) throw new UserError(`Keep the comment under ${MAX_FEEDBACK} characters.`);
  await record(target, userId, { comment: text }, deps);
}
