import type { Clock } from '../clock';
import { ForbiddenError, UserError } from '../errors';
import { MAX_FEEDBACK } from './model';
import type { TicketStore } from './ports';

/**
 * The opener's feedback on a closed ticket: a rating (1–5, from the DM's star buttons) and an
 * optional comment (a modal). Stored on the ticket; only the opener may give it, and may change it.
 */
export interface FeedbackDeps {
  tickets: TicketStore;
  clock: Clock;
}

async function refuse(guildId: string, number: number, deps: FeedbackDeps): Promise<never> {
  const ticket = await deps.tickets.getTicket(guildId, number);
  if (!ticket) throw new UserError('This ticket no longer exists.');
  throw new ForbiddenError('Only the member who opened this ticket can give feedback on it.');
}

export async function rateTicket(guildId: string, number: number, userId: string, stars: number, deps: FeedbackDeps): Promise<void> {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw new UserError('Ratings go from 1 to 5 stars.');
  if (!(await deps.tickets.recordFeedback(guildId, number, userId, { rating: stars }, deps.clock.now()))) await refuse(guildId, number, deps);
}

export async function commentOnTicket(guildId: string, number: number, userId: string, comment: string, deps: FeedbackDeps): Promise<void> {
  const text = comment.trim();
  if (!text) throw new UserError('Write a comment, or close the form to skip it.');
  if (text.length > MAX_FEEDBACK) throw new UserError(`Keep the comment under ${MAX_FEEDBACK} characters.`);
  if (!(await deps.tickets.recordFeedback(guildId, number, userId, { comment: text }, deps.clock.now()))) await refuse(guildId, number, deps);
}
