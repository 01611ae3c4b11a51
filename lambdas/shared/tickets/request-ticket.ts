import { enforcedUserMessage, type EnforcementState } from '../enforcement/model';
import { ForbiddenError, UserError } from '../errors';
import type { Clock } from '../clock';
import { requireFeature } from '../licensing/features';
import type { Entitlements } from '../licensing/ports';
import { channelLink, relativeTime, userMention } from './messages';
import type { Category, FormAnswer, GuildSettings, Ticket } from './model';
import type { ReservationRefusal, TicketStore } from './ports';
import { requireSettings } from './settings';
import { supportHoursState } from './support-hours';

export interface RequestTicketInput {
  guildId: string;
  openerId: string;
  /** Chosen category, or null to pick one (the only one, or ask). */
  categoryId: string | null;
  /** Answers from the category's form, once submitted. */
  answers: Record<string, string> | null;
  aboutMessageUrl: string | null;
}

export type RequestTicketOutcome =
  | { kind: 'choose_category'; categories: Category[] }
  | { kind: 'form'; category: Category }
  | { kind: 'reserved'; ticket: Ticket; category: Category; note: string | null };

export interface RequestTicketDeps {
  tickets: TicketStore;
  clock: Clock;
  /** The license gate (the interactions λ always passes it; domain tests may leave it out). */
  entitlements?: Entitlements;
  /** The opener's enforcement ban (read by the router), and how to appeal it. */
  enforcedUser?: EnforcementState | null;
  appeal?: string;
}

/**
 * Opening a ticket, the part that runs inside Discord's 3 seconds: checks the member may open one
 * here and reserves the ticket (number, limits) atomically. Creating the thread or channel is the
 * worker's job. Every refusal is a `UserError` whose message tells the member what to do.
 */
export async function requestTicket(input: RequestTicketInput, deps: RequestTicketDeps): Promise<RequestTicketOutcome> {
  // A user banned by the vendor opens tickets nowhere; said before any read.
  if (deps.enforcedUser) throw new ForbiddenError(enforcedUserMessage(deps.appeal ?? 'Contact Deskwire support to appeal.'));
  // Independent reads, in parallel (this runs inside Discord's 3 seconds); refusals keep their order.
  // The member's slot too, when the category is known (a panel button, a form): the early refusal
  // then costs no round trip of its own.
  const [entitlementRead, settingsRead, blacklistRead, categoryRead, slotRead] = await Promise.allSettled([
    deps.entitlements?.entitlementFor(input.guildId) ?? null,
    requireSettings(deps.tickets, input.guildId),
    deps.tickets.blacklistEntry(input.guildId, input.openerId),
    resolveCategory(input, deps),
    input.categoryId ? deps.tickets.memberSlot(input.guildId, input.openerId, input.categoryId) : undefined,
  ]);
  // No license, no ticket: said first, since only an admin can fix it. Inside grace it works, with a warning.
  const entitlement = settled(entitlementRead);
  const { graceWarning } = entitlement ? requireFeature(entitlement, 'tickets') : { graceWarning: null };
  const settings = settled(settingsRead);
  const blacklisted = settled(blacklistRead);
  if (blacklisted) {
    throw new UserError(`You cannot open tickets in this server.${blacklisted.reason ? ` Reason: ${blacklisted.reason}` : ''} If you think this is a mistake, contact the server staff.`);
  }
  const category = settled(categoryRead);
  if ('categories' in category) return { kind: 'choose_category', categories: category.categories };
  // A slot read for another category (never: it is read only for `input.categoryId`) would be ignored.
  const memberSlot = category.id === input.categoryId ? settled(slotRead) : undefined;

  const now = deps.clock.now();
  const hours = supportHoursState(category.hours, now);
  if (hours.open === false && category.hours?.outside === 'refuse') {
    throw new UserError(`Support for **${category.name}** is closed right now. ${hours.description}`);
  }

  if (category.questions.length > 0 && !input.answers) {
    // Refused before the form, not after the member filled it in (the reservation after submit still decides).
    const refusal = await deps.tickets.reservationRefusal(input.guildId, input.openerId, category, now, memberSlot);
    if (refusal) throw refusalError(refusal, category);
    return { kind: 'form', category };
  }
  const answers = validateAnswers(category, input.answers ?? {});

  const result = await deps.tickets.reserveTicket({
    guildId: input.guildId,
    category,
    openerId: input.openerId,
    mode: category.mode ?? settings.mode,
    answers,
    aboutMessageUrl: input.aboutMessageUrl,
    now,
    memberSlot,
  });
  if (result.ok) {
    const hoursNote = hours.open === false ? `Support is closed right now, so replies may take longer. ${hours.description}` : null;
    const note = [hoursNote, graceWarning].filter(Boolean).join('\n').slice(0, 500) || null;
    return { kind: 'reserved', ticket: result.ticket, category, note };
  }
  throw refusalError(result, category);
}

/** The member's message for a refused reservation. */
function refusalError(refusal: ReservationRefusal, category: Category): UserError {
  switch (refusal.reason) {
    case 'member_limit':
      return new UserError(memberLimitMessage(refusal, category));
    case 'cooldown':
      return new UserError(`You recently opened a **${category.name}** ticket. You can open another ${relativeTime(refusal.retryAt)}.`);
    case 'category_full':
      return new UserError(`**${category.name}** has reached its limit of ${refusal.cap} open tickets. Please try again later.`);
    case 'category_deleted':
      return new UserError('That ticket category no longer exists. Pick another one, or ask the staff.');
  }
}

/**
 * A member at their open-ticket limit in a category, with links to those tickets: told to the
 * member (opening), or about them to staff when `openerId` is given (reopening).
 */
export function memberLimitMessage(refusal: { limit: number; openTickets: Ticket[] }, category: Pick<Category, 'name'>, openerId?: string): string {
  const links = refusal.openTickets.filter((t) => t.channelId).map((t) => channelLink(t.channelId!));
  const where = links.length ? `: ${links.join(', ')}` : ' (it is being created right now)';
  const one = refusal.limit === 1;
  const tickets = one ? `an open **${category.name}** ticket` : `${refusal.limit} open **${category.name}** tickets`;
  if (openerId) return `${userMention(openerId)} already has ${tickets}${where}, so this one cannot be reopened.`;
  return `You already have ${tickets}${where}. ${one ? 'Please continue there.' : 'Close one before opening another.'}`;
}

/** The value of a settled read, or its error thrown. */
function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

async function resolveCategory(input: RequestTicketInput, deps: RequestTicketDeps): Promise<Category | { categories: Category[] }> {
  if (input.categoryId) {
    const category = await deps.tickets.getCategory(input.guildId, input.categoryId);
    if (!category) throw new UserError('That ticket category no longer exists. Pick another one, or ask the staff.');
    return category;
  }
  const categories = await deps.tickets.listCategories(input.guildId);
  if (categories.length === 0) throw new UserError('This server has no ticket categories yet. A server admin can run `/setup`.');
  if (categories.length === 1) return categories[0];
  return { categories };
}

/** Checks submitted answers against the form (Discord checks lengths too; we never trust the client). */
export function validateAnswers(category: Category, submitted: Record<string, string>): FormAnswer[] {
  const answers: FormAnswer[] = [];
  for (const q of category.questions) {
    const value = (submitted[q.id] ?? '').trim();
    if (!value) {
      if (q.required) throw new UserError(`Please answer “${q.label}”.`);
      continue;
    }
    if (q.minLength !== undefined && value.length < q.minLength) throw new UserError(`“${q.label}” needs at least ${q.minLength} characters.`);
    if (q.maxLength !== undefined && value.length > q.maxLength) throw new UserError(`“${q.label}” can have at most ${q.maxLength} characters.`);
    answers.push({ questionId: q.id, label: q.label, value });
  }
  return answers;
}

export type { GuildSettings };
